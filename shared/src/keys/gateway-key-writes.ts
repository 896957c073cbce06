import type { ControlItem } from '../ports/control-store.ts';
import type { Page, PageRequest } from '../ports/page.ts';
import { parseApiKeyRecord, recordToData } from './access-record-codec.ts';
import { ACCESS_KINDS, type AccessScopes, type ApiKeyRecord } from './access-records.ts';
import type { AccessStores } from './access-stores.ts';
import { generateGatewayKey, newApiKeyId } from './gateway-key-secret.ts';

/** What the admin API supplies to create a gateway key. */
export interface NewApiKeyInput {
  workspaceId: string;
  name: string;
  scopes?: AccessScopes;
  /** Epoch ms. */
  expiresAt?: number;
  rateLimitId?: string;
  budgetId?: string;
  metadata?: Record<string, string>;
  defaultConfig?: string;
}

/** Fields an update may change: a value replaces, `null` removes, absent keeps. */
export type ApiKeyPatch = {
  [Field in 'name' | 'scopes' | 'metadata']?: ApiKeyRecord[Field];
} & {
  [Field in 'expiresAt' | 'rateLimitId' | 'budgetId' | 'defaultConfig']?: ApiKeyRecord[Field] | null;
};

/** A new (or rotated) key: `secret` is to be shown once and then forgotten. */
export interface IssuedApiKey {
  record: ApiKeyRecord;
  secret: string;
}

// Changes that can land on the old item while a rotation finishes; each is merged in turn.
const MAX_ROTATION_MERGES = 5;

interface StoredApiKey {
  record: ApiKeyRecord;
  item: ControlItem;
  /** The `api-key-id` item that points at the hash. */
  pointer: ControlItem;
}

async function readById(stores: AccessStores, id: string): Promise<StoredApiKey | undefined> {
  const pointer = await stores.control.get(ACCESS_KINDS.apiKeyId, id);
  const hash = pointer?.data.hash;
  if (pointer === undefined || typeof hash !== 'string') return undefined;
  const item = await stores.control.get(ACCESS_KINDS.apiKey, hash);
  const record = item === undefined ? undefined : parseApiKeyRecord(item.data);
  return item === undefined || record === undefined || record.id !== id ? undefined : { record, item, pointer };
}

/**
 * Mint and store a gateway key. Two items: `api-key-id` (public id → hash) is written first so
 * a half-finished create leaves nothing that authenticates; then `api-key` (hash → record).
 */
export async function createApiKey(stores: AccessStores, input: NewApiKeyInput): Promise<IssuedApiKey> {
  const generated = generateGatewayKey();
  const record: ApiKeyRecord = {
    id: newApiKeyId(),
    workspaceId: input.workspaceId,
    name: input.name,
    displayPrefix: generated.displayPrefix,
    scopes: input.scopes ?? {},
    status: 'active',
    expiresAt: input.expiresAt,
    rateLimitId: input.rateLimitId,
    budgetId: input.budgetId,
    metadata: input.metadata ?? {},
    defaultConfig: input.defaultConfig,
    createdAt: stores.clock.now(),
  };
  const pointer = await stores.control.putIfAbsent({ kind: ACCESS_KINDS.apiKeyId, id: record.id, data: { hash: generated.hash } });
  if (pointer === undefined) throw new Error('A freshly generated key id already exists.');
  const item = await stores.control.putIfAbsent({ kind: ACCESS_KINDS.apiKey, id: generated.hash, data: recordToData(record) });
  if (item === undefined) {
    await stores.control.delete(ACCESS_KINDS.apiKeyId, record.id);
    throw new Error('A freshly generated key hash already exists.');
  }
  return { record: parseApiKeyRecord(item.data) ?? record, secret: generated.secret };
}

/** A key by its public id (never by its secret), or undefined. */
export async function getApiKeyById(stores: AccessStores, id: string): Promise<ApiKeyRecord | undefined> {
  return (await readById(stores, id))?.record;
}

/**
 * Keys in hash order (random), optionally of one workspace. A page may hold fewer than
 * `limit` records when some belong to other workspaces; follow the cursor.
 */
export async function listApiKeys(stores: AccessStores, request: PageRequest & { workspaceId?: string } = {}): Promise<Page<ApiKeyRecord>> {
  const page = await stores.control.list(ACCESS_KINDS.apiKey, { limit: request.limit, cursor: request.cursor });
  const items = page.items
    .map((item) => parseApiKeyRecord(item.data))
    .filter((record): record is ApiKeyRecord => record !== undefined)
    .filter((record) => request.workspaceId === undefined || record.workspaceId === request.workspaceId);
  return { items, cursor: page.cursor };
}

function applyPatch(record: ApiKeyRecord, patch: ApiKeyPatch): ApiKeyRecord {
  const next: ApiKeyRecord = { ...record };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.scopes !== undefined) next.scopes = patch.scopes;
  if (patch.metadata !== undefined) next.metadata = patch.metadata;
  for (const field of ['expiresAt', 'rateLimitId', 'budgetId', 'defaultConfig'] as const) {
    const value = patch[field];
    if (value === null) delete next[field];
    else if (value !== undefined) (next as unknown as Record<string, unknown>)[field] = value;
  }
  return next;
}

async function replaceRecord(stores: AccessStores, stored: StoredApiKey, record: ApiKeyRecord): Promise<ApiKeyRecord | undefined> {
  const item = await stores.control.putIfVersion(
    { kind: ACCESS_KINDS.apiKey, id: stored.item.id, data: recordToData(record) },
    stored.item.version,
  );
  return item === undefined ? undefined : parseApiKeyRecord(item.data);
}

/** Change a key's settings; undefined when absent or changed meanwhile (re-read and retry). */
export async function updateApiKey(stores: AccessStores, id: string, patch: ApiKeyPatch): Promise<ApiKeyRecord | undefined> {
  const stored = await readById(stores, id);
  return stored === undefined ? undefined : replaceRecord(stores, stored, applyPatch(stored.record, patch));
}

/** Revoke a key (kept, so it shows in listings and audits); undefined when absent or raced. */
export async function revokeApiKey(stores: AccessStores, id: string): Promise<ApiKeyRecord | undefined> {
  const stored = await readById(stores, id);
  if (stored === undefined) return undefined;
  if (stored.record.status === 'revoked') return stored.record;
  return replaceRecord(stores, stored, { ...stored.record, status: 'revoked', revokedAt: stores.clock.now() });
}

/**
 * Give a key a new secret; the old one stops working at once here and within the cache bound
 * on warm gateways. Order: new hash item, then the pointer (conditional, so two rotations
 * cannot both win), then the old hash item is deleted only if nobody changed it since it was
 * read. A PATCH or revocation that landed on the old item meanwhile is carried over to the
 * new one first, so a rotation never undoes a concurrent change (a lost revocation above all).
 */
export async function rotateApiKey(stores: AccessStores, id: string): Promise<IssuedApiKey | undefined> {
  const stored = await readById(stores, id);
  if (stored === undefined) return undefined;
  const generated = generateGatewayKey();
  const rotation = { displayPrefix: generated.displayPrefix, rotatedAt: stores.clock.now() };
  let record: ApiKeyRecord = { ...stored.record, ...rotation };
  let item = await stores.control.putIfAbsent({ kind: ACCESS_KINDS.apiKey, id: generated.hash, data: recordToData(record) });
  if (item === undefined) return undefined;
  const pointer = await stores.control.putIfVersion(
    { kind: ACCESS_KINDS.apiKeyId, id, data: { hash: generated.hash } },
    stored.pointer.version,
  );
  if (pointer === undefined) {
    await stores.control.delete(ACCESS_KINDS.apiKey, generated.hash);
    return undefined;
  }
  let old: ControlItem | undefined = stored.item;
  for (let round = 0; old !== undefined && round < MAX_ROTATION_MERGES; round++) {
    if (await stores.control.delete(ACCESS_KINDS.apiKey, old.id, old.version)) break;
    // The old item changed (or went) after it was read: carry its latest record over.
    old = await stores.control.get(ACCESS_KINDS.apiKey, stored.item.id);
    const changed = old === undefined ? undefined : parseApiKeyRecord(old.data);
    if (old === undefined || changed === undefined) break;
    record = { ...changed, ...rotation };
    const merged = await stores.control.putIfVersion({ kind: ACCESS_KINDS.apiKey, id: generated.hash, data: recordToData(record) }, item.version);
    // Only this rotation writes the new item before it is returned, so a miss means it is gone.
    if (merged === undefined) return undefined;
    item = merged;
  }
  // A delete of the key meanwhile removed the pointer: the new secret must not go on working.
  const current = await stores.control.get(ACCESS_KINDS.apiKeyId, id);
  if (current?.data.hash !== generated.hash) {
    await stores.control.delete(ACCESS_KINDS.apiKey, generated.hash);
    return undefined;
  }
  return { record, secret: generated.secret };
}

/** Remove a key entirely (both items); false when it did not exist. */
export async function deleteApiKey(stores: AccessStores, id: string): Promise<boolean> {
  const stored = await readById(stores, id);
  if (stored === undefined) return false;
  await stores.control.delete(ACCESS_KINDS.apiKey, stored.item.id);
  return stores.control.delete(ACCESS_KINDS.apiKeyId, id);
}
