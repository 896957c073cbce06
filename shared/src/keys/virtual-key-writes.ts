import type { ControlItem } from '../ports/control-store.ts';
import type { Page, PageRequest } from '../ports/page.ts';
import { parseVirtualKeyRecord, recordToData } from './access-record-codec.ts';
import { ACCESS_KINDS, type VirtualKeyRecord, type VirtualKeyStatus } from './access-records.ts';
import { type AccessStores, virtualKeyLastUsedCounter } from './access-stores.ts';

/** Virtual key slugs double as vault secret names, so they keep to the vault's alphabet. */
const VIRTUAL_KEY_SLUG = /^[A-Za-z0-9][A-Za-z0-9_+=.@-]{0,127}$/;

/** What the admin API supplies to create a virtual key; `secret` goes to the vault only. */
export interface NewVirtualKeyInput {
  id: string;
  workspaceId: string;
  name: string;
  provider: string;
  secret: string;
  allowedModels?: string[];
  options?: Record<string, string>;
  budgetId?: string;
}

/** Fields an update may change: a value replaces, `null` removes (allowedModels, budgetId), absent keeps. */
export interface VirtualKeyPatch {
  name?: string;
  allowedModels?: string[] | null;
  options?: Record<string, string>;
  budgetId?: string | null;
}

/** Whether `id` may name a virtual key (and its vault secret). */
export function isValidVirtualKeyId(id: string): boolean {
  return VIRTUAL_KEY_SLUG.test(id);
}

async function read(stores: AccessStores, id: string): Promise<{ record: VirtualKeyRecord; item: ControlItem } | undefined> {
  const item = await stores.control.get(ACCESS_KINDS.virtualKey, id);
  const record = item === undefined ? undefined : parseVirtualKeyRecord(item.data);
  return item === undefined || record === undefined ? undefined : { record, item };
}

async function replace(stores: AccessStores, item: ControlItem, record: VirtualKeyRecord): Promise<VirtualKeyRecord | undefined> {
  const written = await stores.control.putIfVersion({ kind: ACCESS_KINDS.virtualKey, id: item.id, data: recordToData(record) }, item.version);
  return written === undefined ? undefined : parseVirtualKeyRecord(written.data);
}

/**
 * Create a virtual key: the record first (conditional, so an existing key's secret is never
 * overwritten), then the secret in the vault; a vault failure removes the record again.
 * Undefined when the id is taken.
 */
export async function createVirtualKey(stores: AccessStores, input: NewVirtualKeyInput): Promise<VirtualKeyRecord | undefined> {
  if (!isValidVirtualKeyId(input.id)) throw new RangeError(`Invalid virtual key id "${input.id}".`);
  const record: VirtualKeyRecord = {
    id: input.id,
    workspaceId: input.workspaceId,
    name: input.name,
    provider: input.provider,
    allowedModels: input.allowedModels,
    options: input.options ?? {},
    status: 'active',
    budgetId: input.budgetId,
    createdAt: stores.clock.now(),
  };
  const item = await stores.control.putIfAbsent({ kind: ACCESS_KINDS.virtualKey, id: input.id, data: recordToData(record) });
  if (item === undefined) return undefined;
  try {
    await stores.vault.put(input.id, input.secret);
  } catch (error) {
    await stores.control.delete(ACCESS_KINDS.virtualKey, input.id, item.version).catch(() => undefined);
    throw error;
  }
  return parseVirtualKeyRecord(item.data);
}

/** A virtual key's record (never its secret), with `lastUsedAt` from the gateway's counter. */
export async function getVirtualKey(stores: AccessStores, id: string): Promise<VirtualKeyRecord | undefined> {
  const found = await read(stores, id);
  if (found === undefined) return undefined;
  const lastUsedAt = stores.counters === undefined ? 0 : await stores.counters.get(virtualKeyLastUsedCounter(id));
  return lastUsedAt > 0 ? { ...found.record, lastUsedAt } : found.record;
}

/** Virtual keys in id order, optionally of one workspace (a page may then hold fewer than `limit`). */
export async function listVirtualKeys(stores: AccessStores, request: PageRequest & { workspaceId?: string } = {}): Promise<Page<VirtualKeyRecord>> {
  const page = await stores.control.list(ACCESS_KINDS.virtualKey, { limit: request.limit, cursor: request.cursor });
  const items = page.items
    .map((item) => parseVirtualKeyRecord(item.data))
    .filter((record): record is VirtualKeyRecord => record !== undefined)
    .filter((record) => request.workspaceId === undefined || record.workspaceId === request.workspaceId);
  return { items, cursor: page.cursor };
}

/** Change name, allowed models, options or budget; undefined when absent or raced. */
export async function updateVirtualKey(stores: AccessStores, id: string, patch: VirtualKeyPatch): Promise<VirtualKeyRecord | undefined> {
  const found = await read(stores, id);
  if (found === undefined) return undefined;
  const next: VirtualKeyRecord = { ...found.record };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.options !== undefined) next.options = patch.options;
  if (patch.allowedModels === null) delete next.allowedModels;
  else if (patch.allowedModels !== undefined) next.allowedModels = patch.allowedModels;
  if (patch.budgetId === null) delete next.budgetId;
  else if (patch.budgetId !== undefined) next.budgetId = patch.budgetId;
  return replace(stores, found.item, next);
}

/** Store a new secret and stamp `rotatedAt`; undefined when the key is absent or raced. */
export async function rotateVirtualKey(stores: AccessStores, id: string, secret: string): Promise<VirtualKeyRecord | undefined> {
  const found = await read(stores, id);
  if (found === undefined) return undefined;
  await stores.vault.put(id, secret);
  return replace(stores, found.item, { ...found.record, rotatedAt: stores.clock.now() });
}

/** Disable or enable a virtual key; undefined when absent or raced. */
export async function setVirtualKeyStatus(stores: AccessStores, id: string, status: VirtualKeyStatus): Promise<VirtualKeyRecord | undefined> {
  const found = await read(stores, id);
  if (found === undefined) return undefined;
  if (found.record.status === status) return found.record;
  return replace(stores, found.item, { ...found.record, status });
}

/** Delete the record, then the vault secret; false when there was no such key. */
export async function deleteVirtualKey(stores: AccessStores, id: string): Promise<boolean> {
  const deleted = await stores.control.delete(ACCESS_KINDS.virtualKey, id);
  if (deleted) await stores.vault.delete(id);
  return deleted;
}
