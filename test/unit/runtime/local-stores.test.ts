import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalStores, readDynaliteProcessMode } from '../../../shared/src/runtime/local-stores.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const root = mkdtempSync(join(tmpdir(), 'turnpike-local-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('openLocalStores', () => {
  it('keeps data and secrets on disk under the data folder across restarts', async () => {
    const dataDir = join(root, 'data');
    const clock = new FakeClock();
    const first = await openLocalStores({ TURNPIKE_DATA_DIR: dataDir }, clock);
    expect(first.dataDir).toBe(dataDir);
    await first.stores.control.putIfAbsent({ kind: 'config', id: 'prod', data: { config: { provider: 'mock' } } });
    await first.stores.counters.add('budget#vk', 5, { expiresAt: Math.floor(clock.now() / 1000) + 3600 });
    await first.keyVault.put('vk-openai', 'sk-local');
    await first.close();

    expect(readdirSync(dataDir).sort()).toEqual(['dynamodb', 'vault.json', 'vault.key']);
    expect(statSync(join(dataDir, 'vault.key')).mode & 0o777).toBe(0o600);

    // The second start finds the tables and the data it left.
    const second = await openLocalStores({ TURNPIKE_DATA_DIR: dataDir }, clock);
    try {
      expect((await second.stores.control.get('config', 'prod'))?.data).toEqual({ config: { provider: 'mock' } });
      expect(await second.stores.counters.get('budget#vk')).toBe(5);
      expect(await second.keyVault.get('vk-openai')).toBe('sk-local');
    } finally {
      await second.close();
    }
  });

  it('says so when another process holds the data folder', async () => {
    const dataDir = join(root, 'shared');
    const clock = new FakeClock();
    const first = await openLocalStores({ TURNPIKE_DATA_DIR: dataDir }, clock);
    try {
      await expect(openLocalStores({ TURNPIKE_DATA_DIR: dataDir }, clock)).rejects.toThrow(/is in use by process/);
    } finally {
      await first.close();
    }
  });

  it('keeps everything in memory with TURNPIKE_DATA_DIR=:memory:', async () => {
    const local = await openLocalStores({ TURNPIKE_DATA_DIR: ':memory:' }, new FakeClock());
    try {
      expect(local.dataDir).toBeUndefined();
      await local.keyVault.put('vk', 'sk');
      expect(await local.keyVault.get('vk')).toBe('sk');
      expect(await local.stores.cache.get('nothing')).toBeUndefined();
    } finally {
      await local.close();
    }
  });

  it('runs dynalite in a child process with TURNPIKE_DYNALITE_PROCESS=child, and in this one by default', async () => {
    expect(readDynaliteProcessMode({})).toBe('in-process');
    expect(readDynaliteProcessMode({ TURNPIKE_DYNALITE_PROCESS: 'child' })).toBe('child');
    expect(() => readDynaliteProcessMode({ TURNPIKE_DYNALITE_PROCESS: 'thread' })).toThrow(/TURNPIKE_DYNALITE_PROCESS must be child or in-process/);
    const databaseChildren = (): string[] =>
      readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
        .split(' ')
        .filter((pid) => pid !== '' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dynalite-process-main'));
    const before = databaseChildren();
    const local = await openLocalStores({ TURNPIKE_DATA_DIR: ':memory:', TURNPIKE_DYNALITE_PROCESS: 'child' }, new FakeClock());
    try {
      expect(databaseChildren().filter((pid) => !before.includes(pid))).toHaveLength(1);
      await local.stores.counters.add('in-the-child', 2, { expiresAt: Math.floor(Date.now() / 1000) + 60 });
      expect(await local.stores.counters.get('in-the-child')).toBe(2);
    } finally {
      await local.close();
    }
  }, 30_000);
});
