import type { JsonObject } from '../core/json.ts';
import type { Clock } from '../ports/clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { Page, PageRequest } from '../ports/page.ts';
import { type AccessReads, type AccessReadsOptions, createAccessReads } from './access-reads.ts';
import type { ApiKeyRecord, PrincipalRecord, SavedConfigRecord, VirtualKeyRecord, VirtualKeyStatus } from './access-records.ts';
import type { AccessStores } from './access-stores.ts';
import * as keyWrites from './gateway-key-writes.ts';
import * as principalWrites from './principal-writes.ts';
import * as configWrites from './saved-config-writes.ts';
import * as virtualKeyWrites from './virtual-key-writes.ts';

export type { AccessReads } from './access-reads.ts';

/** The admin API's writes (uncached). `undefined` = absent (404) or lost a version race (re-read, retry). */
export interface AccessWrites {
  createApiKey(input: keyWrites.NewApiKeyInput): Promise<keyWrites.IssuedApiKey>;
  getApiKeyById(id: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(request?: PageRequest & { workspaceId?: string }): Promise<Page<ApiKeyRecord>>;
  updateApiKey(id: string, patch: keyWrites.ApiKeyPatch): Promise<ApiKeyRecord | undefined>;
  rotateApiKey(id: string): Promise<keyWrites.IssuedApiKey | undefined>;
  revokeApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  deleteApiKey(id: string): Promise<boolean>;
  createVirtualKey(input: virtualKeyWrites.NewVirtualKeyInput): Promise<VirtualKeyRecord | undefined>;
  getVirtualKey(id: string): Promise<VirtualKeyRecord | undefined>;
  listVirtualKeys(request?: PageRequest & { workspaceId?: string }): Promise<Page<VirtualKeyRecord>>;
  updateVirtualKey(id: string, patch: virtualKeyWrites.VirtualKeyPatch): Promise<VirtualKeyRecord | undefined>;
  rotateVirtualKey(id: string, secret: string): Promise<VirtualKeyRecord | undefined>;
  setVirtualKeyStatus(id: string, status: VirtualKeyStatus): Promise<VirtualKeyRecord | undefined>;
  deleteVirtualKey(id: string): Promise<boolean>;
  createPrincipal(record: PrincipalRecord): Promise<PrincipalRecord | undefined>;
  getPrincipal(id: string): Promise<PrincipalRecord | undefined>;
  listPrincipals(request?: PageRequest): Promise<Page<PrincipalRecord>>;
  updatePrincipal(id: string, patch: principalWrites.PrincipalPatch): Promise<PrincipalRecord | undefined>;
  deletePrincipal(id: string): Promise<boolean>;
  saveConfigVersion(id: string, config: JsonObject, workspaceId?: string): Promise<SavedConfigRecord | undefined>;
  getSavedConfig(id: string): Promise<SavedConfigRecord | undefined>;
  listSavedConfigs(request?: PageRequest): Promise<Page<SavedConfigRecord>>;
  getConfigVersion(id: string, version: number): Promise<configWrites.SavedConfigVersion | undefined>;
  listConfigVersions(id: string, request?: PageRequest): Promise<Page<configWrites.SavedConfigVersion>>;
  rollbackConfig(id: string, version: number): Promise<SavedConfigRecord | undefined>;
  deleteConfig(id: string): Promise<boolean>;
}

export type AccessRepository = AccessReads & AccessWrites;

/** @see AccessReadsOptions */
export type AccessRepositoryOptions = AccessReadsOptions;

/**
 * The access data model over the Control table and the key vault: the cached read side the
 * gateway uses on each request (createAccessReads) and the write helpers the admin API uses.
 */
export function createAccessRepository(
  control: ControlStore,
  vault: KeyVault,
  clock: Pick<Clock, 'now'>,
  options: AccessRepositoryOptions = {},
): AccessRepository {
  const stores: AccessStores = { control, vault, clock, counters: options.counters };
  const writes: AccessWrites = {
    createApiKey: (input) => keyWrites.createApiKey(stores, input),
    getApiKeyById: (id) => keyWrites.getApiKeyById(stores, id),
    listApiKeys: (request) => keyWrites.listApiKeys(stores, request),
    updateApiKey: (id, patch) => keyWrites.updateApiKey(stores, id, patch),
    rotateApiKey: (id) => keyWrites.rotateApiKey(stores, id),
    revokeApiKey: (id) => keyWrites.revokeApiKey(stores, id),
    deleteApiKey: (id) => keyWrites.deleteApiKey(stores, id),
    createVirtualKey: (input) => virtualKeyWrites.createVirtualKey(stores, input),
    getVirtualKey: (id) => virtualKeyWrites.getVirtualKey(stores, id),
    listVirtualKeys: (request) => virtualKeyWrites.listVirtualKeys(stores, request),
    updateVirtualKey: (id, patch) => virtualKeyWrites.updateVirtualKey(stores, id, patch),
    rotateVirtualKey: (id, secret) => virtualKeyWrites.rotateVirtualKey(stores, id, secret),
    setVirtualKeyStatus: (id, status) => virtualKeyWrites.setVirtualKeyStatus(stores, id, status),
    deleteVirtualKey: (id) => virtualKeyWrites.deleteVirtualKey(stores, id),
    createPrincipal: (record) => principalWrites.createPrincipal(stores, record),
    getPrincipal: (id) => principalWrites.getPrincipal(stores, id),
    listPrincipals: (request) => principalWrites.listPrincipals(stores, request),
    updatePrincipal: (id, patch) => principalWrites.updatePrincipal(stores, id, patch),
    deletePrincipal: (id) => principalWrites.deletePrincipal(stores, id),
    saveConfigVersion: (id, config, workspaceId) => configWrites.saveConfigVersion(stores, id, config, workspaceId),
    getSavedConfig: (id) => configWrites.getSavedConfig(stores, id),
    listSavedConfigs: (request) => configWrites.listSavedConfigs(stores, request),
    getConfigVersion: (id, version) => configWrites.getConfigVersion(stores, id, version),
    listConfigVersions: (id, request) => configWrites.listConfigVersions(stores, id, request),
    rollbackConfig: (id, version) => configWrites.rollbackConfig(stores, id, version),
    deleteConfig: (id) => configWrites.deleteConfig(stores, id),
  };

  return { ...createAccessReads(control, vault, clock, options), ...writes };
}
