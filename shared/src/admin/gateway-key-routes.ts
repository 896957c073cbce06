import type { JsonObject } from '../core/json.ts';
import { parseApiKeyRecord } from '../keys/access-record-codec.ts';
import { ACCESS_KINDS, type ApiKeyRecord } from '../keys/access-records.ts';
import { type ApiKeyPatch, createApiKey, deleteApiKey, getApiKeyById, revokeApiKey, rotateApiKey, updateApiKey } from '../keys/gateway-key-writes.ts';
import * as z from '../protocol/zod-mini-english.ts';
import { ConflictError, invalidField, resourceNotFound } from './admin-errors.ts';
import { parseInput } from './admin-input.ts';
import { listItems, listResponse, readPageRequest } from './admin-listing.ts';
import { type AdminContext, type AdminRoute, jsonResponse } from './admin-route.ts';
import { isoTime, isoTimestampSchema, metadataSchema, nameSchema, scopesFromInput, scopesSchema, scopesToWire, slugSchema } from './admin-schemas.ts';
import { writeAudit } from './audit-log.ts';
import { retryOnce } from './retry-once.ts';
import { requireActiveWorkspace, workspaceStillActive } from './workspace-routes.ts';

const createSchema = z.strictObject({
  workspace_id: slugSchema,
  name: nameSchema,
  scopes: z.optional(scopesSchema),
  expires_at: z.optional(isoTimestampSchema),
  rate_limit_id: z.optional(slugSchema),
  budget_id: z.optional(slugSchema),
  metadata: z.optional(metadataSchema),
  default_config: z.optional(slugSchema),
});

const patchSchema = z.strictObject({
  name: z.optional(nameSchema),
  scopes: z.optional(scopesSchema),
  metadata: z.optional(metadataSchema),
  // null removes the setting.
  expires_at: z.optional(z.nullable(isoTimestampSchema)),
  rate_limit_id: z.optional(z.nullable(slugSchema)),
  budget_id: z.optional(z.nullable(slugSchema)),
  default_config: z.optional(z.nullable(slugSchema)),
});

/** A gateway key as the API shows it: never the secret, never its hash. */
export function presentApiKey(record: ApiKeyRecord): JsonObject {
  return {
    id: record.id,
    workspace_id: record.workspaceId,
    name: record.name,
    display_prefix: record.displayPrefix,
    scopes: { ...scopesToWire(record.scopes) },
    status: record.status,
    expires_at: isoTime(record.expiresAt),
    rate_limit_id: record.rateLimitId ?? null,
    budget_id: record.budgetId ?? null,
    metadata: record.metadata,
    default_config: record.defaultConfig ?? null,
    created_at: isoTime(record.createdAt),
    rotated_at: isoTime(record.rotatedAt),
    revoked_at: isoTime(record.revokedAt),
  };
}

function futureTime(context: AdminContext, iso: string): number {
  const at = Date.parse(iso);
  if (at <= context.clock.now()) throw invalidField('expires_at', 'must be in the future');
  return at;
}

const notFound = (id: string) => () => resourceNotFound('key', id);

/** `/v1/keys` routes: create (the secret is shown once), list, read, update, rotate, revoke. */
export const gatewayKeyRoutes: AdminRoute[] = [
  {
    method: 'POST',
    path: '/v1/keys',
    async handler({ context, body }) {
      const input = parseInput(createSchema, await body());
      const expiresAt = input.expires_at === undefined ? undefined : futureTime(context, input.expires_at);
      await requireActiveWorkspace(context, input.workspace_id);
      const issued = await createApiKey(context, {
        workspaceId: input.workspace_id,
        name: input.name,
        scopes: scopesFromInput(input.scopes),
        metadata: input.metadata ?? {},
        ...(expiresAt === undefined ? {} : { expiresAt }),
        ...(input.rate_limit_id === undefined ? {} : { rateLimitId: input.rate_limit_id }),
        ...(input.budget_id === undefined ? {} : { budgetId: input.budget_id }),
        ...(input.default_config === undefined ? {} : { defaultConfig: input.default_config }),
      });
      // The workspace may have started being deleted while the key was written: back out.
      if (!(await workspaceStillActive(context, input.workspace_id))) {
        await deleteApiKey(context, issued.record.id).catch(() => false);
        throw new ConflictError(`Workspace ${JSON.stringify(input.workspace_id)} was deleted meanwhile; the key was not kept.`, 'workspace_deleting');
      }
      const after = presentApiKey(issued.record);
      await writeAudit(context, { action: 'create', resource: { kind: 'key', id: issued.record.id }, after });
      return jsonResponse({ ...after, secret: issued.secret }, 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/keys',
    async handler({ context, query }) {
      const workspaceId = query.get('workspace_id') ?? undefined;
      const page = await listItems(context.control, ACCESS_KINDS.apiKey, readPageRequest(query), {
        ...(workspaceId === undefined ? {} : { keep: (item) => parseApiKeyRecord(item.data)?.workspaceId === workspaceId }),
      });
      const records = page.items.map((item) => parseApiKeyRecord(item.data)).filter((record) => record !== undefined);
      return listResponse(records.map(presentApiKey), page.cursor);
    },
  },
  {
    method: 'GET',
    path: '/v1/keys/{id}',
    async handler({ context, params }) {
      const id = params.id ?? '';
      const record = await getApiKeyById(context, id);
      if (record === undefined) throw notFound(id)();
      return jsonResponse(presentApiKey(record));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/keys/{id}',
    async handler({ context, params, body }) {
      const id = params.id ?? '';
      const input = parseInput(patchSchema, await body());
      const patch: ApiKeyPatch = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.scopes !== undefined) patch.scopes = scopesFromInput(input.scopes);
      if (input.metadata !== undefined) patch.metadata = input.metadata;
      if (input.expires_at !== undefined) patch.expiresAt = input.expires_at === null ? null : futureTime(context, input.expires_at);
      if (input.rate_limit_id !== undefined) patch.rateLimitId = input.rate_limit_id;
      if (input.budget_id !== undefined) patch.budgetId = input.budget_id;
      if (input.default_config !== undefined) patch.defaultConfig = input.default_config;
      const change = await retryOnce(() => getApiKeyById(context, id), () => updateApiKey(context, id, patch), notFound(id), `key ${id}`);
      const after = presentApiKey(change.after);
      await writeAudit(context, { action: 'update', resource: { kind: 'key', id }, before: presentApiKey(change.before), after });
      return jsonResponse(after);
    },
  },
  {
    method: 'POST',
    path: '/v1/keys/{id}/rotate',
    async handler({ context, params }) {
      const id = params.id ?? '';
      const change = await retryOnce(
        () => getApiKeyById(context, id),
        (before) => {
          if (before.status === 'revoked') throw new ConflictError(`Key ${JSON.stringify(id)} is revoked; create a new key instead.`, 'key_revoked');
          return rotateApiKey(context, id);
        },
        notFound(id),
        `key ${id}`,
      );
      const after = presentApiKey(change.after.record);
      await writeAudit(context, { action: 'rotate', resource: { kind: 'key', id }, before: presentApiKey(change.before), after });
      return jsonResponse({ ...after, secret: change.after.secret });
    },
  },
  {
    method: 'POST',
    path: '/v1/keys/{id}/revoke',
    async handler({ context, params }) {
      const id = params.id ?? '';
      const change = await retryOnce(() => getApiKeyById(context, id), () => revokeApiKey(context, id), notFound(id), `key ${id}`);
      const after = presentApiKey(change.after);
      // Revoking twice changes nothing, so it leaves no second audit record.
      if (change.before.status !== 'revoked') {
        await writeAudit(context, { action: 'revoke', resource: { kind: 'key', id }, before: presentApiKey(change.before), after });
      }
      return jsonResponse(after);
    },
  },
];
