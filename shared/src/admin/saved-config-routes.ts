import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';
import { NotFoundError } from '../core/gateway-error.ts';
import type { SavedConfigRecord } from '../keys/access-records.ts';
import {
  type SavedConfigVersion,
  deleteConfig,
  getConfigVersion,
  getSavedConfig,
  listConfigVersions,
  listSavedConfigs,
  rollbackConfig,
  saveConfigVersion,
} from '../keys/saved-config-writes.ts';
import { appendPathIndex, appendPathKey } from '../protocol/config-path.ts';
import { validateGatewayConfig } from '../protocol/validate-gateway-config.ts';
import * as z from '../protocol/zod-mini-english.ts';
import { ConflictError, invalidField, resourceNotFound } from './admin-errors.ts';
import { parseInput } from './admin-input.ts';
import { listResponse, readPageRequest } from './admin-listing.ts';
import { type AdminRoute, jsonResponse, noContent } from './admin-route.ts';
import { isoTime, slugSchema } from './admin-schemas.ts';
import { answerSave, writeAudit } from './audit-log.ts';
import { retryOnce } from './retry-once.ts';
import { assertSavedGuardrailsExist } from './saved-guardrail-references.ts';
import { requireActiveWorkspace } from './workspace-routes.ts';

const putSchema = z.strictObject({ config: z.record(z.string(), z.unknown()), workspace_id: z.optional(slugSchema) });
const versionSchema = z.number().check(z.int(), z.minimum(1, 'must be a version number (1 or more)'));
const rollbackSchema = z.strictObject({ version: versionSchema });

/**
 * Config fields that carry provider credentials. A saved config is stored in the Control table
 * and shown by the API, so it may not hold them: the credential goes into a virtual key and the
 * config names it (`virtual_key`).
 */
const CREDENTIAL_FIELDS = ['api_key', 'aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'];

/** The path (`config.targets[1].api_key`) of the first credential in a Config, if any. */
function findCredential(target: JsonObject, path: string): string | undefined {
  for (const field of CREDENTIAL_FIELDS) if (target[field] !== undefined) return appendPathKey(path, field);
  const targets: JsonValue | undefined = target.targets;
  if (!Array.isArray(targets)) return undefined;
  for (const [index, child] of targets.entries()) {
    if (!isJsonObject(child)) continue;
    const found = findCredential(child, appendPathIndex(appendPathKey(path, 'targets'), index));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A saved config as the API shows it. */
export function presentSavedConfig(record: SavedConfigRecord): JsonObject {
  return {
    id: record.id,
    workspace_id: record.workspaceId ?? null,
    current_version: record.currentVersion,
    latest_version: record.latestVersion,
    config: record.config,
  };
}

function presentVersion(id: string, version: SavedConfigVersion, currentVersion: number): JsonObject {
  return { id, version: version.version, current: version.version === currentVersion, created_at: isoTime(version.createdAt), config: version.config };
}

function readVersionQuery(query: URLSearchParams): number | undefined {
  const raw = query.get('version');
  if (raw === null) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw invalidField('version', 'must be a version number (1 or more)');
  return Number(raw);
}

const notFound = (id: string) => () => resourceNotFound('config', id);

async function requireConfig(context: Parameters<typeof getSavedConfig>[0], id: string): Promise<SavedConfigRecord> {
  const record = await getSavedConfig(context, id);
  if (record === undefined) throw notFound(id)();
  return record;
}

/** `/v1/configs` routes: saved configs with a version history and rollback. */
export const savedConfigRoutes: AdminRoute[] = [
  {
    method: 'PUT',
    path: '/v1/configs/{id}',
    async handler({ context, params, body }) {
      const id = params.id ?? '';
      parseInput(slugSchema, id, 'id');
      const input = parseInput(putSchema, await body());
      // The same checks as an `x-portkey-config` header; `param` is the path (`config.targets[0]…`).
      const validated = validateGatewayConfig(input.config);
      const config = input.config as JsonObject;
      const credential = findCredential(config, 'config');
      if (credential !== undefined) {
        throw invalidField(credential, 'saved configs may not hold provider credentials; store them in a virtual key and set `virtual_key`');
      }
      if (input.workspace_id !== undefined) await requireActiveWorkspace(context, input.workspace_id);
      // A concurrent save may take the next version number first: retry once on the new head.
      for (let attempt = 0; attempt < 2; attempt++) {
        const before = await getSavedConfig(context, id);
        if (before !== undefined && input.workspace_id !== undefined && input.workspace_id !== before.workspaceId) {
          const owner = before.workspaceId === undefined ? 'no workspace' : `workspace ${JSON.stringify(before.workspaceId)}`;
          throw invalidField('workspace_id', `config ${JSON.stringify(id)} belongs to ${owner}; a config keeps its workspace`);
        }
        if (attempt === 0) await assertSavedGuardrailsExist(context, validated, input.workspace_id ?? before?.workspaceId);
        const after = await saveConfigVersion(context, id, config, input.workspace_id);
        if (after === undefined) continue;
        return answerSave(context, { kind: 'config', id }, before === undefined ? undefined : presentSavedConfig(before), presentSavedConfig(after));
      }
      throw new ConflictError(`Another save of config ${JSON.stringify(id)} happened at the same time; read it again and retry.`, 'version_conflict');
    },
  },
  {
    method: 'GET',
    path: '/v1/configs',
    async handler({ context, query }) {
      const page = await listSavedConfigs(context, readPageRequest(query));
      return listResponse(page.items.map(presentSavedConfig), page.cursor);
    },
  },
  {
    method: 'GET',
    path: '/v1/configs/{id}',
    async handler({ context, params, query }) {
      const id = params.id ?? '';
      const version = readVersionQuery(query);
      const record = await requireConfig(context, id);
      if (version === undefined) return jsonResponse(presentSavedConfig(record));
      const stored = await getConfigVersion(context, id, version);
      if (stored === undefined) throw new NotFoundError(`Config ${JSON.stringify(id)} has no version ${version}.`, 'config_version_not_found');
      return jsonResponse(presentVersion(id, stored, record.currentVersion));
    },
  },
  {
    method: 'GET',
    path: '/v1/configs/{id}/versions',
    async handler({ context, params, query }) {
      const id = params.id ?? '';
      const record = await requireConfig(context, id);
      const page = await listConfigVersions(context, id, readPageRequest(query));
      return listResponse(page.items.map((version) => presentVersion(id, version, record.currentVersion)), page.cursor);
    },
  },
  {
    method: 'POST',
    path: '/v1/configs/{id}/rollback',
    async handler({ context, params, body }) {
      const id = params.id ?? '';
      const input = parseInput(rollbackSchema, await body());
      const change = await retryOnce(
        () => getSavedConfig(context, id),
        async () => {
          if ((await getConfigVersion(context, id, input.version)) === undefined) {
            throw invalidField('version', `config ${JSON.stringify(id)} has no version ${input.version}`, 'config_version_not_found');
          }
          return rollbackConfig(context, id, input.version);
        },
        notFound(id),
        `config ${id}`,
      );
      const after = presentSavedConfig(change.after);
      await writeAudit(context, { action: 'rollback', resource: { kind: 'config', id }, before: presentSavedConfig(change.before), after });
      return jsonResponse(after);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/configs/{id}',
    async handler({ context, params }) {
      const id = params.id ?? '';
      const before = await requireConfig(context, id);
      if (!(await deleteConfig(context, id))) throw notFound(id)();
      await writeAudit(context, { action: 'delete', resource: { kind: 'config', id }, before: presentSavedConfig(before) });
      return noContent();
    },
  },
];
