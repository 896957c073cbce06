import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';
import type {
  AccessScopes,
  ApiKeyRecord,
  PrincipalRecord,
  SavedConfigRecord,
  VirtualKeyRecord,
} from './access-records.ts';

/**
 * Control items hold their record as JSON written by another process (the admin API), so
 * every read checks the shape. A malformed record reads as absent: the gateway then refuses
 * the key instead of guessing what a half-written item meant. Unknown fields are ignored so a
 * newer writer does not break an older reader.
 */

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function whole(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function textList(value: JsonValue | undefined): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

function textMap(value: JsonValue | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  if (!isJsonObject(value)) return map;
  for (const [key, item] of Object.entries(value)) if (typeof item === 'string') map[key] = item;
  return map;
}

/** A scope list that is present but not a list of strings allows nothing, never everything. */
function scopeList(value: JsonValue | undefined): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  return textList(value) ?? [];
}

/** Read the `scopes` object of a key or principal. */
export function parseAccessScopes(value: JsonValue | undefined): AccessScopes {
  if (value === undefined || value === null) return {};
  // Something that is not an object cannot be trusted to mean "no restriction".
  if (!isJsonObject(value)) return { providers: [], models: [], virtualKeys: [], configs: [] };
  const scopes: AccessScopes = {};
  const providers = scopeList(value.providers);
  const models = scopeList(value.models);
  const virtualKeys = scopeList(value.virtualKeys);
  const configs = scopeList(value.configs);
  if (providers !== undefined) scopes.providers = providers;
  if (models !== undefined) scopes.models = models;
  if (virtualKeys !== undefined) scopes.virtualKeys = virtualKeys;
  if (configs !== undefined) scopes.configs = configs;
  return scopes;
}

/** An `api-key` item's data as a record, or undefined when it is not one. */
export function parseApiKeyRecord(data: JsonObject): ApiKeyRecord | undefined {
  const id = text(data.id);
  const workspaceId = text(data.workspaceId);
  const createdAt = whole(data.createdAt);
  const status: ApiKeyRecord['status'] | undefined = data.status === 'active' || data.status === 'revoked' ? data.status : undefined;
  if (id === undefined || workspaceId === undefined || createdAt === undefined || status === undefined) return undefined;
  // An expiry that is present but unreadable must not turn into "never expires".
  if (data.expiresAt !== undefined && data.expiresAt !== null && whole(data.expiresAt) === undefined) return undefined;
  return withoutUndefined<ApiKeyRecord>({
    id,
    workspaceId,
    name: text(data.name) ?? '',
    displayPrefix: text(data.displayPrefix) ?? '',
    scopes: parseAccessScopes(data.scopes),
    status,
    expiresAt: whole(data.expiresAt),
    rateLimitId: text(data.rateLimitId),
    budgetId: text(data.budgetId),
    metadata: textMap(data.metadata),
    defaultConfig: text(data.defaultConfig),
    createdAt,
    rotatedAt: whole(data.rotatedAt),
    revokedAt: whole(data.revokedAt),
  });
}

/** A `virtual-key` item's data as a record, or undefined when it is not one. */
export function parseVirtualKeyRecord(data: JsonObject): VirtualKeyRecord | undefined {
  const id = text(data.id);
  const workspaceId = text(data.workspaceId);
  const provider = text(data.provider);
  const createdAt = whole(data.createdAt);
  const status: VirtualKeyRecord['status'] | undefined = data.status === 'active' || data.status === 'disabled' ? data.status : undefined;
  if (id === undefined || workspaceId === undefined || provider === undefined || createdAt === undefined || status === undefined) {
    return undefined;
  }
  const allowedModels = data.allowedModels === undefined || data.allowedModels === null ? undefined : (textList(data.allowedModels) ?? []);
  return withoutUndefined<VirtualKeyRecord>({
    id,
    workspaceId,
    name: text(data.name) ?? id,
    provider,
    allowedModels,
    options: textMap(data.options),
    status,
    budgetId: text(data.budgetId),
    createdAt,
    rotatedAt: whole(data.rotatedAt),
    lastUsedAt: whole(data.lastUsedAt),
  });
}

/** A `principal` item's data as a record, or undefined when it is not one. */
export function parsePrincipalRecord(data: JsonObject): PrincipalRecord | undefined {
  const id = text(data.id);
  const workspaceId = text(data.workspaceId);
  const arnPattern = text(data.arnPattern);
  if (id === undefined || workspaceId === undefined || arnPattern === undefined) return undefined;
  return withoutUndefined({
    id,
    workspaceId,
    name: text(data.name) ?? id,
    arnPattern,
    scopes: parseAccessScopes(data.scopes),
    metadata: textMap(data.metadata),
    defaultConfig: text(data.defaultConfig),
    rateLimitId: text(data.rateLimitId),
    budgetId: text(data.budgetId),
  });
}

/** A `config` item's data as a record, or undefined when it is not one. */
export function parseSavedConfigRecord(data: JsonObject): SavedConfigRecord | undefined {
  const id = text(data.id);
  const currentVersion = whole(data.currentVersion);
  const latestVersion = whole(data.latestVersion);
  if (id === undefined || currentVersion === undefined || latestVersion === undefined || !isJsonObject(data.config)) return undefined;
  return withoutUndefined({ id, workspaceId: text(data.workspaceId), currentVersion, latestVersion, config: data.config });
}

/**
 * A record as control item data: the same fields, with undefined ones left out (DynamoDB and
 * JSON would drop them anyway; leaving them out keeps round trips exact).
 */
export function recordToData(record: object): JsonObject {
  return JSON.parse(JSON.stringify(record)) as JsonObject;
}

function withoutUndefined<T extends object>(record: T): T {
  for (const key of Object.keys(record) as (keyof T)[]) if (record[key] === undefined) delete record[key];
  return record;
}
