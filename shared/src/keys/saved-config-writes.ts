import { isJsonObject, type JsonObject } from '../core/json.ts';
import type { Page, PageRequest } from '../ports/page.ts';
import { parseSavedConfigRecord, recordToData } from './access-record-codec.ts';
import { ACCESS_KINDS, type SavedConfigRecord } from './access-records.ts';
import type { AccessStores } from './access-stores.ts';

/** One stored version of a saved config (`config-version` item, id `<config>#<000007>`). */
export interface SavedConfigVersion {
  version: number;
  config: JsonObject;
  createdAt: number;
}

/** The id of a version item; six digits so versions list in order. */
export function configVersionId(configId: string, version: number): string {
  return `${configId}#${String(version).padStart(6, '0')}`;
}

function parseVersion(data: JsonObject): SavedConfigVersion | undefined {
  const { version, config, createdAt } = data;
  if (typeof version !== 'number' || typeof createdAt !== 'number' || !isJsonObject(config)) return undefined;
  return { version, config, createdAt };
}

/**
 * A version item with no head pointing at it is left by a save that stopped between its two
 * writes (or a delete that stopped midway). Older than this, no save can still be about to
 * write its head, so the next save may take its number over.
 */
export const ORPHAN_VERSION_AFTER_MS = 60_000;

/** Write version `version`, taking over an orphan of that number; undefined when a live writer holds it. */
async function writeVersionItem(stores: AccessStores, id: string, version: number, data: JsonObject) {
  const fresh = await stores.control.putIfAbsent({ kind: ACCESS_KINDS.configVersion, id: configVersionId(id, version), data });
  if (fresh !== undefined) return fresh;
  const [existing, head] = await Promise.all([
    stores.control.get(ACCESS_KINDS.configVersion, configVersionId(id, version)),
    stores.control.get(ACCESS_KINDS.config, id),
  ]);
  const latest = head === undefined ? 0 : (parseSavedConfigRecord(head.data)?.latestVersion ?? 0);
  const createdAt = existing?.data.createdAt;
  const orphan = existing !== undefined && latest < version && typeof createdAt === 'number' && createdAt <= stores.clock.now() - ORPHAN_VERSION_AFTER_MS;
  if (!orphan) return undefined;
  return stores.control.putIfVersion({ kind: ACCESS_KINDS.configVersion, id: existing.id, data }, existing.version);
}

/**
 * Store `config` as the next version of saved config `id` and make it current (the gateway's
 * `x-portkey-config: <id>` serves it within its cache bound). The caller validates the Config
 * first (validateGatewayConfig). Undefined when another writer saved a version meanwhile:
 * re-read and retry. A new config keeps `workspaceId`; an existing one keeps its own.
 */
export async function saveConfigVersion(stores: AccessStores, id: string, config: JsonObject, workspaceId?: string): Promise<SavedConfigRecord | undefined> {
  const current = await stores.control.get(ACCESS_KINDS.config, id);
  const record = current === undefined ? undefined : parseSavedConfigRecord(current.data);
  const version = (record?.latestVersion ?? 0) + 1;
  const versionItem = await writeVersionItem(stores, id, version, { version, config, createdAt: stores.clock.now() });
  if (versionItem === undefined) return undefined;
  const next: SavedConfigRecord = {
    id,
    workspaceId: record === undefined ? workspaceId : record.workspaceId,
    currentVersion: version,
    latestVersion: version,
    config,
  };
  const input = { kind: ACCESS_KINDS.config, id, data: recordToData(next) };
  const written = current === undefined ? await stores.control.putIfAbsent(input) : await stores.control.putIfVersion(input, current.version);
  if (written === undefined) {
    await stores.control.delete(ACCESS_KINDS.configVersion, versionItem.id, versionItem.version).catch(() => false);
    return undefined;
  }
  return parseSavedConfigRecord(written.data);
}

/** A saved config's record (with its current Config), or undefined. */
export async function getSavedConfig(stores: AccessStores, id: string): Promise<SavedConfigRecord | undefined> {
  const item = await stores.control.get(ACCESS_KINDS.config, id);
  return item === undefined ? undefined : parseSavedConfigRecord(item.data);
}

/** Saved configs in id order. */
export async function listSavedConfigs(stores: AccessStores, request: PageRequest = {}): Promise<Page<SavedConfigRecord>> {
  const page = await stores.control.list(ACCESS_KINDS.config, request);
  const items = page.items.map((item) => parseSavedConfigRecord(item.data)).filter((record): record is SavedConfigRecord => record !== undefined);
  return { items, cursor: page.cursor };
}

/** One version of a saved config, or undefined. */
export async function getConfigVersion(stores: AccessStores, id: string, version: number): Promise<SavedConfigVersion | undefined> {
  const item = await stores.control.get(ACCESS_KINDS.configVersion, configVersionId(id, version));
  return item === undefined ? undefined : parseVersion(item.data);
}

/** The versions of a saved config, oldest first. */
export async function listConfigVersions(stores: AccessStores, id: string, request: PageRequest = {}): Promise<Page<SavedConfigVersion>> {
  const page = await stores.control.list(ACCESS_KINDS.configVersion, { ...request, idPrefix: `${id}#` });
  const items = page.items.map((item) => parseVersion(item.data)).filter((version): version is SavedConfigVersion => version !== undefined);
  return { items, cursor: page.cursor };
}

/** Make an earlier version current again; undefined when the config or version is absent, or raced. */
export async function rollbackConfig(stores: AccessStores, id: string, version: number): Promise<SavedConfigRecord | undefined> {
  const [current, target] = await Promise.all([stores.control.get(ACCESS_KINDS.config, id), getConfigVersion(stores, id, version)]);
  const record = current === undefined ? undefined : parseSavedConfigRecord(current.data);
  if (current === undefined || record === undefined || target === undefined) return undefined;
  const next: SavedConfigRecord = { ...record, currentVersion: version, config: target.config };
  const written = await stores.control.putIfVersion({ kind: ACCESS_KINDS.config, id, data: recordToData(next) }, current.version);
  return written === undefined ? undefined : parseSavedConfigRecord(written.data);
}

/**
 * Delete a saved config and its versions; false when it did not exist. Versions go first: a
 * delete that stops midway leaves the config whole and served (its head holds the current
 * Config), and deleting again finishes the job, instead of leaving versions with no head.
 */
export async function deleteConfig(stores: AccessStores, id: string): Promise<boolean> {
  let cursor: string | undefined;
  do {
    const page = await stores.control.list(ACCESS_KINDS.configVersion, { idPrefix: `${id}#`, limit: 200, cursor });
    for (const item of page.items) await stores.control.delete(ACCESS_KINDS.configVersion, item.id);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return stores.control.delete(ACCESS_KINDS.config, id);
}
