import { isJsonObject, type JsonObject } from '../core/json.ts';
import { parseVirtualKeyRecord } from '../keys/access-record-codec.ts';
import { ACCESS_KINDS, type VirtualKeyRecord } from '../keys/access-records.ts';
import {
  type VirtualKeyPatch,
  createVirtualKey,
  deleteVirtualKey,
  getVirtualKey,
  isValidVirtualKeyId,
  rotateVirtualKey,
  setVirtualKeyStatus,
  updateVirtualKey,
} from '../keys/virtual-key-writes.ts';
import * as z from '../protocol/zod-mini-english.ts';
import { ConflictError, invalidField, resourceNotFound } from './admin-errors.ts';
import { parseInput } from './admin-input.ts';
import { listItems, listResponse, readPageRequest } from './admin-listing.ts';
import { type AdminRoute, type AdminRouteHandler, jsonResponse, noContent } from './admin-route.ts';
import { isoTime, nameSchema, slugSchema } from './admin-schemas.ts';
import { writeAudit } from './audit-log.ts';
import { retryOnce } from './retry-once.ts';
import { requireActiveWorkspace, workspaceStillActive } from './workspace-routes.ts';

const virtualKeyIdSchema = z.string().check(
  z.refine(isValidVirtualKeyId, 'must be 1 to 128 letters, digits or "_+=.@-", starting with a letter or digit'),
);
const providerSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a provider id such as "openai" or "bedrock"'));
const MAX_SECRET_CHARACTERS = 16 * 1024;
// Messages about the secret never quote it.
const secretSchema = z.string().check(
  z.minLength(1, 'must not be empty'),
  z.maxLength(MAX_SECRET_CHARACTERS, `must be at most ${MAX_SECRET_CHARACTERS} characters`),
);
/** Credential fields: they belong in `secret` (the vault), never in the stored options. */
const SECRET_OPTION_NAMES = new Set(['api_key', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token', 'secret']);
const optionsSchema = z.record(
  z.string().check(
    z.regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'option names are letters, digits and "_"'),
    z.refine((name) => !SECRET_OPTION_NAMES.has(name), 'credentials go in `secret`, not in options'),
  ),
  z.string().check(z.maxLength(1024, 'option values are at most 1024 characters')),
);
const modelListSchema = z.array(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters'))).check(
  z.maxLength(500, 'at most 500 entries'),
);

const createSchema = z.strictObject({
  id: virtualKeyIdSchema,
  workspace_id: slugSchema,
  name: nameSchema,
  provider: providerSchema,
  secret: secretSchema,
  allowed_models: z.optional(modelListSchema),
  options: z.optional(optionsSchema),
  budget_id: z.optional(slugSchema),
});
const rotateSchema = z.strictObject({ secret: secretSchema });
const patchSchema = z.strictObject({
  name: z.optional(nameSchema),
  allowed_models: z.optional(z.nullable(modelListSchema)),
  options: z.optional(optionsSchema),
  // null removes the budget.
  budget_id: z.optional(z.nullable(slugSchema)),
});

/**
 * Providers whose credential is several values take them as a JSON object in the secret
 * string; check the shape here so a typo fails now, not on the first request.
 */
function checkSecretShape(provider: string, secret: string): void {
  if (provider !== 'bedrock') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(secret);
  } catch {
    parsed = undefined;
  }
  const valid =
    isJsonObject(parsed) &&
    typeof parsed.aws_access_key_id === 'string' &&
    typeof parsed.aws_secret_access_key === 'string' &&
    Object.values(parsed).every((value) => typeof value === 'string');
  if (!valid) {
    throw invalidField(
      'secret',
      'for bedrock, a JSON object as a string: {"aws_access_key_id","aws_secret_access_key","aws_session_token"?,"aws_region"?}',
    );
  }
}

/** A virtual key as the API shows it; its secret stays in the vault. */
export function presentVirtualKey(record: VirtualKeyRecord): JsonObject {
  return {
    id: record.id,
    workspace_id: record.workspaceId,
    name: record.name,
    provider: record.provider,
    allowed_models: record.allowedModels ?? null,
    options: record.options,
    status: record.status,
    budget_id: record.budgetId ?? null,
    created_at: isoTime(record.createdAt),
    rotated_at: isoTime(record.rotatedAt),
    last_used_at: isoTime(record.lastUsedAt),
  };
}

const notFound = (id: string) => () => resourceNotFound('virtual key', id);

/** A write answers the stored record; the last use lives in a counter, read with `before`. */
function withLastUse(after: VirtualKeyRecord, before: VirtualKeyRecord): VirtualKeyRecord {
  return before.lastUsedAt === undefined ? after : { ...after, lastUsedAt: before.lastUsedAt };
}

function statusRoute(action: 'disable' | 'enable'): AdminRouteHandler {
  const status = action === 'disable' ? 'disabled' : 'active';
  return async ({ context, params }) => {
    const id = params.id ?? '';
    const change = await retryOnce(() => getVirtualKey(context, id), () => setVirtualKeyStatus(context, id, status), notFound(id), `virtual key ${id}`);
    const after = presentVirtualKey(withLastUse(change.after, change.before));
    if (change.before.status !== status) {
      await writeAudit(context, { action, resource: { kind: 'virtual-key', id }, before: presentVirtualKey(change.before), after });
    }
    return jsonResponse(after);
  };
}

/** `/v1/virtual-keys` routes; secrets go to the KeyVault under the slug and never come back. */
export const virtualKeyRoutes: AdminRoute[] = [
  {
    method: 'POST',
    path: '/v1/virtual-keys',
    async handler({ context, body }) {
      const input = parseInput(createSchema, await body());
      checkSecretShape(input.provider, input.secret);
      await requireActiveWorkspace(context, input.workspace_id);
      const record = await createVirtualKey(context, {
        id: input.id,
        workspaceId: input.workspace_id,
        name: input.name,
        provider: input.provider,
        secret: input.secret,
        options: input.options ?? {},
        ...(input.allowed_models === undefined ? {} : { allowedModels: input.allowed_models }),
        ...(input.budget_id === undefined ? {} : { budgetId: input.budget_id }),
      });
      if (record === undefined) throw new ConflictError(`A virtual key with id ${JSON.stringify(input.id)} exists.`, 'virtual_key_exists');
      if (!(await workspaceStillActive(context, input.workspace_id))) {
        await deleteVirtualKey(context, input.id).catch(() => false);
        throw new ConflictError(`Workspace ${JSON.stringify(input.workspace_id)} was deleted meanwhile; the virtual key was not kept.`, 'workspace_deleting');
      }
      const after = presentVirtualKey(record);
      await writeAudit(context, { action: 'create', resource: { kind: 'virtual-key', id: input.id }, after });
      return jsonResponse(after, 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/virtual-keys',
    async handler({ context, query }) {
      const workspaceId = query.get('workspace_id') ?? undefined;
      const page = await listItems(context.control, ACCESS_KINDS.virtualKey, readPageRequest(query), {
        ...(workspaceId === undefined ? {} : { keep: (item) => parseVirtualKeyRecord(item.data)?.workspaceId === workspaceId }),
      });
      const records = page.items.map((item) => parseVirtualKeyRecord(item.data)).filter((record) => record !== undefined);
      return listResponse(records.map(presentVirtualKey), page.cursor);
    },
  },
  {
    method: 'GET',
    path: '/v1/virtual-keys/{id}',
    async handler({ context, params }) {
      const id = params.id ?? '';
      const record = await getVirtualKey(context, id);
      if (record === undefined) throw notFound(id)();
      return jsonResponse(presentVirtualKey(record));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/virtual-keys/{id}',
    async handler({ context, params, body }) {
      const id = params.id ?? '';
      const input = parseInput(patchSchema, await body());
      const patch: VirtualKeyPatch = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.allowed_models !== undefined) patch.allowedModels = input.allowed_models;
      if (input.options !== undefined) patch.options = input.options;
      if (input.budget_id !== undefined) patch.budgetId = input.budget_id;
      const change = await retryOnce(() => getVirtualKey(context, id), () => updateVirtualKey(context, id, patch), notFound(id), `virtual key ${id}`);
      const after = presentVirtualKey(withLastUse(change.after, change.before));
      await writeAudit(context, { action: 'update', resource: { kind: 'virtual-key', id }, before: presentVirtualKey(change.before), after });
      return jsonResponse(after);
    },
  },
  {
    method: 'POST',
    path: '/v1/virtual-keys/{id}/rotate',
    async handler({ context, params, body }) {
      const id = params.id ?? '';
      const input = parseInput(rotateSchema, await body());
      const change = await retryOnce(
        () => getVirtualKey(context, id),
        (before) => {
          checkSecretShape(before.provider, input.secret);
          return rotateVirtualKey(context, id, input.secret);
        },
        notFound(id),
        `virtual key ${id}`,
      );
      const after = presentVirtualKey(withLastUse(change.after, change.before));
      await writeAudit(context, { action: 'rotate', resource: { kind: 'virtual-key', id }, before: presentVirtualKey(change.before), after });
      return jsonResponse(after);
    },
  },
  { method: 'POST', path: '/v1/virtual-keys/{id}/disable', handler: statusRoute('disable') },
  { method: 'POST', path: '/v1/virtual-keys/{id}/enable', handler: statusRoute('enable') },
  {
    method: 'DELETE',
    path: '/v1/virtual-keys/{id}',
    async handler({ context, params }) {
      const id = params.id ?? '';
      const before = await getVirtualKey(context, id);
      if (before === undefined || !(await deleteVirtualKey(context, id))) throw notFound(id)();
      await writeAudit(context, { action: 'delete', resource: { kind: 'virtual-key', id }, before: presentVirtualKey(before) });
      return noContent();
    },
  },
];
