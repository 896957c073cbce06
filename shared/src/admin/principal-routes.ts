import type { JsonObject } from '../core/json.ts';
import { parsePrincipalRecord } from '../keys/access-record-codec.ts';
import { ACCESS_KINDS, type PrincipalRecord } from '../keys/access-records.ts';
import { isValidArnPattern } from '../keys/principal-arn-pattern.ts';
import { type PrincipalPatch, createPrincipal, deletePrincipal, getPrincipal, updatePrincipal } from '../keys/principal-writes.ts';
import * as z from '../protocol/zod-mini-english.ts';
import { ConflictError, resourceNotFound } from './admin-errors.ts';
import { parseInput } from './admin-input.ts';
import { listItems, listResponse, readPageRequest } from './admin-listing.ts';
import { type AdminRoute, jsonResponse, noContent } from './admin-route.ts';
import { metadataSchema, nameSchema, scopesFromInput, scopesSchema, scopesToWire, slugSchema } from './admin-schemas.ts';
import { writeAudit } from './audit-log.ts';
import { retryOnce } from './retry-once.ts';
import { requireActiveWorkspace, workspaceStillActive } from './workspace-routes.ts';

const arnPatternSchema = z.string().check(
  z.refine(isValidArnPattern, 'must be an IAM ARN or a pattern with * wildcards: arn:partition:service:region:account:resource'),
);

const createSchema = z.strictObject({
  id: slugSchema,
  workspace_id: slugSchema,
  name: nameSchema,
  arn_pattern: arnPatternSchema,
  scopes: z.optional(scopesSchema),
  metadata: z.optional(metadataSchema),
  default_config: z.optional(slugSchema),
  rate_limit_id: z.optional(slugSchema),
  budget_id: z.optional(slugSchema),
});

const patchSchema = z.strictObject({
  name: z.optional(nameSchema),
  arn_pattern: z.optional(arnPatternSchema),
  scopes: z.optional(scopesSchema),
  metadata: z.optional(metadataSchema),
  // null removes the setting.
  default_config: z.optional(z.nullable(slugSchema)),
  rate_limit_id: z.optional(z.nullable(slugSchema)),
  budget_id: z.optional(z.nullable(slugSchema)),
});

/** An IAM principal as the API shows it. */
export function presentPrincipal(record: PrincipalRecord): JsonObject {
  return {
    id: record.id,
    workspace_id: record.workspaceId,
    name: record.name,
    arn_pattern: record.arnPattern,
    scopes: { ...scopesToWire(record.scopes) },
    metadata: record.metadata,
    default_config: record.defaultConfig ?? null,
    rate_limit_id: record.rateLimitId ?? null,
    budget_id: record.budgetId ?? null,
  };
}

const notFound = (id: string) => () => resourceNotFound('principal', id);

/** `/v1/principals` routes: IAM callers (by ARN pattern) and what they may use. */
export const principalRoutes: AdminRoute[] = [
  {
    method: 'POST',
    path: '/v1/principals',
    async handler({ context, body }) {
      const input = parseInput(createSchema, await body());
      await requireActiveWorkspace(context, input.workspace_id);
      const record = await createPrincipal(context, {
        id: input.id,
        workspaceId: input.workspace_id,
        name: input.name,
        arnPattern: input.arn_pattern,
        scopes: scopesFromInput(input.scopes),
        metadata: input.metadata ?? {},
        ...(input.default_config === undefined ? {} : { defaultConfig: input.default_config }),
        ...(input.rate_limit_id === undefined ? {} : { rateLimitId: input.rate_limit_id }),
        ...(input.budget_id === undefined ? {} : { budgetId: input.budget_id }),
      });
      if (record === undefined) throw new ConflictError(`A principal with id ${JSON.stringify(input.id)} exists.`, 'principal_exists');
      if (!(await workspaceStillActive(context, input.workspace_id))) {
        await deletePrincipal(context, input.id).catch(() => false);
        throw new ConflictError(`Workspace ${JSON.stringify(input.workspace_id)} was deleted meanwhile; the principal was not kept.`, 'workspace_deleting');
      }
      const after = presentPrincipal(record);
      await writeAudit(context, { action: 'create', resource: { kind: 'principal', id: input.id }, after });
      return jsonResponse(after, 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/principals',
    async handler({ context, query }) {
      const workspaceId = query.get('workspace_id') ?? undefined;
      const page = await listItems(context.control, ACCESS_KINDS.principal, readPageRequest(query), {
        ...(workspaceId === undefined ? {} : { keep: (item) => parsePrincipalRecord(item.data)?.workspaceId === workspaceId }),
      });
      const records = page.items.map((item) => parsePrincipalRecord(item.data)).filter((record) => record !== undefined);
      return listResponse(records.map(presentPrincipal), page.cursor);
    },
  },
  {
    method: 'GET',
    path: '/v1/principals/{id}',
    async handler({ context, params }) {
      const id = params.id ?? '';
      const record = await getPrincipal(context, id);
      if (record === undefined) throw notFound(id)();
      return jsonResponse(presentPrincipal(record));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/principals/{id}',
    async handler({ context, params, body }) {
      const id = params.id ?? '';
      const input = parseInput(patchSchema, await body());
      const patch: PrincipalPatch = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.arn_pattern !== undefined) patch.arnPattern = input.arn_pattern;
      if (input.scopes !== undefined) patch.scopes = scopesFromInput(input.scopes);
      if (input.metadata !== undefined) patch.metadata = input.metadata;
      if (input.default_config !== undefined) patch.defaultConfig = input.default_config;
      if (input.rate_limit_id !== undefined) patch.rateLimitId = input.rate_limit_id;
      if (input.budget_id !== undefined) patch.budgetId = input.budget_id;
      const change = await retryOnce(() => getPrincipal(context, id), () => updatePrincipal(context, id, patch), notFound(id), `principal ${id}`);
      const after = presentPrincipal(change.after);
      await writeAudit(context, { action: 'update', resource: { kind: 'principal', id }, before: presentPrincipal(change.before), after });
      return jsonResponse(after);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/principals/{id}',
    async handler({ context, params }) {
      const id = params.id ?? '';
      const before = await getPrincipal(context, id);
      if (before === undefined || !(await deletePrincipal(context, id))) throw notFound(id)();
      await writeAudit(context, { action: 'delete', resource: { kind: 'principal', id }, before: presentPrincipal(before) });
      return noContent();
    },
  },
];
