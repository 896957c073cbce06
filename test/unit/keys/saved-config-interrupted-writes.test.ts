import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStores } from '../../../shared/src/adapters/aws/dynamodb-stores.ts';
import { createInMemoryKeyVault } from '../../../shared/src/adapters/local/in-memory-key-vault.ts';
import type { AccessStores } from '../../../shared/src/keys/access-stores.ts';
import {
  ORPHAN_VERSION_AFTER_MS,
  configVersionId,
  deleteConfig,
  getSavedConfig,
  listConfigVersions,
  saveConfigVersion,
} from '../../../shared/src/keys/saved-config-writes.ts';
import type { ControlStore } from '../../../shared/src/ports/control-store.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
let control: ControlStore;
const clock = new FakeClock();
let stores: AccessStores;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  control = createDynamoDbStores(dynamo.client, dynamo.tables, clock).control;
  stores = { control, vault: createInMemoryKeyVault(), clock };
});
afterAll(async () => {
  await dynamo?.close();
});

const fallback = { strategy: { mode: 'fallback' }, targets: [{ provider: 'openai' }, { provider: 'anthropic' }] };
const single = { provider: 'mock' };

/** What a save that stopped after its first write leaves: a version item no head points at. */
async function orphanVersion(id: string, version: number, at: number): Promise<void> {
  await control.putIfAbsent({ kind: 'config-version', id: configVersionId(id, version), data: { version, config: single, createdAt: at } });
}

describe('saved configs after an interrupted write', () => {
  it('takes over the number of a version whose save stopped before its head, once it is old enough', async () => {
    await saveConfigVersion(stores, 'interrupted', fallback);
    await orphanVersion('interrupted', 2, clock.now());
    // While the orphan is young a writer could still be about to write its head: a conflict, as before.
    expect(await saveConfigVersion(stores, 'interrupted', single)).toBeUndefined();
    clock.current += ORPHAN_VERSION_AFTER_MS;
    const saved = await saveConfigVersion(stores, 'interrupted', { provider: 'groq' });
    expect(saved).toMatchObject({ currentVersion: 2, latestVersion: 2, config: { provider: 'groq' } });
    expect((await listConfigVersions(stores, 'interrupted')).items.map((version) => version.config)).toEqual([fallback, { provider: 'groq' }]);
  });

  it('creates a config whose first save stopped before its head', async () => {
    await orphanVersion('never-headed', 1, clock.now() - ORPHAN_VERSION_AFTER_MS);
    expect(await saveConfigVersion(stores, 'never-headed', fallback)).toMatchObject({ currentVersion: 1, config: fallback });
  });

  it('never takes over a version the head already counts', async () => {
    await saveConfigVersion(stores, 'counted', fallback);
    clock.current += ORPHAN_VERSION_AFTER_MS * 2;
    const second = await saveConfigVersion(stores, 'counted', single);
    expect(second?.latestVersion).toBe(2);
    expect((await listConfigVersions(stores, 'counted')).items.map((version) => version.version)).toEqual([1, 2]);
  });

  it('deletes versions before the head, so a delete that stops midway leaves the config served, and deleting again finishes', async () => {
    await saveConfigVersion(stores, 'half-deleted', fallback);
    await saveConfigVersion(stores, 'half-deleted', single);
    const failing: AccessStores = {
      ...stores,
      control: { ...control, delete: (kind, id, version) => (kind === 'config' ? Promise.reject(new Error('lost')) : control.delete(kind, id, version)) },
    };
    await expect(deleteConfig(failing, 'half-deleted')).rejects.toThrow('lost');
    expect((await getSavedConfig(stores, 'half-deleted'))?.config).toEqual(single);
    expect(await deleteConfig(stores, 'half-deleted')).toBe(true);
    expect(await getSavedConfig(stores, 'half-deleted')).toBeUndefined();
    expect((await listConfigVersions(stores, 'half-deleted')).items).toEqual([]);
  });
});
