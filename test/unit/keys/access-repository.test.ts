import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStores } from '../../../shared/src/adapters/aws/dynamodb-stores.ts';
import { createInMemoryKeyVault } from '../../../shared/src/adapters/local/in-memory-key-vault.ts';
import { type AccessRepository, createAccessRepository } from '../../../shared/src/keys/access-repository.ts';
import { hashGatewayKey } from '../../../shared/src/keys/gateway-key-secret.ts';
import type { ControlStore } from '../../../shared/src/ports/control-store.ts';
import type { CounterStore } from '../../../shared/src/ports/counter-store.ts';
import type { KeyVault } from '../../../shared/src/ports/key-vault.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
let control: ControlStore;
let counters: CounterStore;
let vault: KeyVault;
let clock: FakeClock;
let repository: AccessRepository;
let run = 0;

beforeAll(async () => {
  dynamo = await startTestDynamo();
  clock = new FakeClock();
  const stores = createDynamoDbStores(dynamo.client, dynamo.tables, clock);
  control = stores.control;
  counters = stores.counters;
  vault = createInMemoryKeyVault();
  repository = createAccessRepository(control, vault, clock, { counters, cacheTtlMs: 1000, negativeCacheTtlMs: 100 });
});

afterAll(async () => {
  await dynamo?.close();
});

/** A fresh id per test, since the tables are shared by the file. */
function unique(name: string): string {
  run += 1;
  return `${name}-${run}`;
}

describe('gateway keys', () => {
  it('stores only the hash: the api-key item id is the SHA-256 of the secret, and no item holds the secret', async () => {
    const { record, secret } = await repository.createApiKey({ workspaceId: 'ws', name: 'ci', scopes: { models: ['gpt-4o'] }, metadata: { team: 'a' } });
    expect(record).toMatchObject({ workspaceId: 'ws', name: 'ci', status: 'active', displayPrefix: secret.slice(0, 8), scopes: { models: ['gpt-4o'] } });
    const item = await control.get('api-key', hashGatewayKey(secret));
    expect(item?.data).toMatchObject({ id: record.id });
    expect(JSON.stringify(item)).not.toContain(secret);
    expect(JSON.stringify(await control.get('api-key-id', record.id))).not.toContain(secret);
    expect(await repository.findApiKey(secret)).toEqual(record);
    expect(await repository.getApiKeyById(record.id)).toEqual(record);
  });

  it('finds nothing for an unknown or malformed key, without reading for malformed ones', async () => {
    expect(await repository.findApiKey(`tpk_${'x'.repeat(43)}`)).toBeUndefined();
    expect(await repository.findApiKey('sk-not-a-gateway-key')).toBeUndefined();
  });

  it('shows a revocation to a warm reader once its cache entry is older than the TTL', async () => {
    const { record, secret } = await repository.createApiKey({ workspaceId: 'ws', name: 'revoke-me' });
    expect((await repository.findApiKey(secret))?.status).toBe('active');
    expect((await repository.revokeApiKey(record.id))?.status).toBe('revoked');
    expect((await repository.findApiKey(secret))?.status).toBe('active');
    clock.current += 1000;
    const seen = await repository.findApiKey(secret);
    expect(seen?.status).toBe('revoked');
    expect(seen?.revokedAt).toBe(clock.current - 1000);
  });

  it('rotates: the new secret works, the old one is gone, and the id stays', async () => {
    const { record, secret } = await repository.createApiKey({ workspaceId: 'ws', name: 'rotate-me' });
    const rotated = await repository.rotateApiKey(record.id);
    expect(rotated?.secret).not.toBe(secret);
    expect(rotated?.record.id).toBe(record.id);
    expect(await control.get('api-key', hashGatewayKey(secret))).toBeUndefined();
    clock.current += 1000;
    expect(await repository.findApiKey(secret)).toBeUndefined();
    expect((await repository.findApiKey(rotated?.secret ?? ''))?.id).toBe(record.id);
  });

  it('updates fields, removing the ones patched with null', async () => {
    const { record } = await repository.createApiKey({ workspaceId: 'ws', name: 'edit-me', expiresAt: clock.now() + 60_000, budgetId: 'b' });
    const updated = await repository.updateApiKey(record.id, { name: 'edited', expiresAt: null, scopes: { providers: [] } });
    expect(updated).toMatchObject({ name: 'edited', budgetId: 'b', scopes: { providers: [] } });
    expect(updated).not.toHaveProperty('expiresAt');
    expect(await repository.updateApiKey('key_missing', { name: 'x' })).toBeUndefined();
  });

  it('lists keys of one workspace and deletes a key', async () => {
    const workspaceId = unique('ws-list');
    const { record } = await repository.createApiKey({ workspaceId, name: 'listed' });
    const listed = await repository.listApiKeys({ workspaceId, limit: 1000 });
    expect(listed.items.map((key) => key.id)).toEqual([record.id]);
    expect(await repository.deleteApiKey(record.id)).toBe(true);
    expect(await repository.getApiKeyById(record.id)).toBeUndefined();
  });
});

describe('virtual keys', () => {
  it('keeps the secret in the vault only, and refuses to overwrite an existing id', async () => {
    const id = unique('openai-prod');
    const record = await repository.createVirtualKey({ id, workspaceId: 'ws', name: 'OpenAI', provider: 'openai', secret: 'sk-live-123', allowedModels: ['gpt-4o*'] });
    expect(record).toMatchObject({ id, provider: 'openai', status: 'active', allowedModels: ['gpt-4o*'], options: {} });
    expect(JSON.stringify(await control.get('virtual-key', id))).not.toContain('sk-live-123');
    expect(await vault.get(id)).toBe('sk-live-123');
    expect(await repository.getVirtualKeySecret(id)).toBe('sk-live-123');
    expect(await repository.createVirtualKey({ id, workspaceId: 'ws', name: 'x', provider: 'openai', secret: 'sk-other' })).toBeUndefined();
    expect(await vault.get(id)).toBe('sk-live-123');
  });

  it('rotates the secret, disables, enables and deletes', async () => {
    const id = unique('anthropic');
    await repository.createVirtualKey({ id, workspaceId: 'ws', name: 'A', provider: 'anthropic', secret: 'old' });
    expect((await repository.rotateVirtualKey(id, 'new'))?.rotatedAt).toBe(clock.now());
    expect(await vault.get(id)).toBe('new');
    expect((await repository.setVirtualKeyStatus(id, 'disabled'))?.status).toBe('disabled');
    clock.current += 1000;
    expect((await repository.lookupVirtualKey(id))?.status).toBe('disabled');
    expect((await repository.setVirtualKeyStatus(id, 'active'))?.status).toBe('active');
    expect(await repository.deleteVirtualKey(id)).toBe(true);
    expect(await vault.get(id)).toBeUndefined();
    expect(await repository.deleteVirtualKey(id)).toBe(false);
  });

  it('refuses ids that cannot name a vault secret', async () => {
    await expect(repository.createVirtualKey({ id: 'has space', workspaceId: 'ws', name: 'x', provider: 'openai', secret: 's' })).rejects.toThrow(RangeError);
  });

  it('records the last use at most once a minute, in a counter, without blocking the caller', async () => {
    const id = unique('used');
    await repository.createVirtualKey({ id, workspaceId: 'ws', name: 'U', provider: 'openai', secret: 's' });
    const writes: string[] = [];
    const watched = createAccessRepository(control, vault, clock, {
      counters: { ...counters, add: (...args) => (writes.push(args[0]), counters.add(...args)) },
    });
    const firstMinute = Math.floor(clock.current / 60_000) * 60_000;
    watched.noteVirtualKeyUsed(id);
    watched.noteVirtualKeyUsed(id);
    clock.current = firstMinute + 59_999;
    watched.noteVirtualKeyUsed(id);
    for (let wait = 0; wait < 100 && (await repository.getVirtualKey(id))?.lastUsedAt === undefined; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await repository.getVirtualKey(id))?.lastUsedAt).toBe(firstMinute);
    expect(writes).toHaveLength(1);
    clock.current += 1;
    watched.noteVirtualKeyUsed(id);
    const minute = firstMinute + 60_000;
    for (let wait = 0; wait < 100 && (await repository.getVirtualKey(id))?.lastUsedAt !== minute; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect((await repository.getVirtualKey(id))?.lastUsedAt).toBe(minute);
  });
});

describe('principals', () => {
  it('finds the most specific principal whose pattern matches the caller', async () => {
    const account = '2100000000' + String(10 + run).slice(-2);
    await repository.createPrincipal({ id: unique('any-role'), workspaceId: 'ws', name: 'any', arnPattern: `arn:aws:iam::${account}:role/*`, scopes: {}, metadata: {} });
    const exact = unique('exact');
    await repository.createPrincipal({ id: exact, workspaceId: 'ws', name: 'exact', arnPattern: `arn:aws:iam::${account}:role/svc-a`, scopes: {}, metadata: {} });
    clock.current += 1000;
    expect((await repository.findPrincipal(`arn:aws:sts::${account}:assumed-role/svc-a/session`))?.id).toBe(exact);
    expect((await repository.findPrincipal(`arn:aws:iam::${account}:role/svc-b`))?.name).toBe('any');
    expect(await repository.findPrincipal(`arn:aws:iam::${account}:user/bob`)).toBeUndefined();
  });

  it('refuses a malformed ARN pattern', async () => {
    await expect(
      repository.createPrincipal({ id: unique('bad'), workspaceId: 'ws', name: 'bad', arnPattern: 'role/*', scopes: {}, metadata: {} }),
    ).rejects.toThrow(RangeError);
  });
});

describe('saved configs', () => {
  it('stores versions, serves the current one in data.config, and rolls back', async () => {
    const id = unique('prod');
    const first = await repository.saveConfigVersion(id, { provider: 'openai' }, 'ws');
    expect(first).toEqual({ id, workspaceId: 'ws', currentVersion: 1, latestVersion: 1, config: { provider: 'openai' } });
    const second = await repository.saveConfigVersion(id, { provider: 'anthropic' });
    expect(second).toMatchObject({ currentVersion: 2, latestVersion: 2, workspaceId: 'ws' });
    expect((await control.get('config', id))?.data.config).toEqual({ provider: 'anthropic' });
    expect((await control.get('config-version', `${id}#000001`))?.data.config).toEqual({ provider: 'openai' });
    expect((await repository.listConfigVersions(id)).items.map((version) => version.version)).toEqual([1, 2]);
    const rolled = await repository.rollbackConfig(id, 1);
    expect(rolled).toMatchObject({ currentVersion: 1, latestVersion: 2, config: { provider: 'openai' } });
    expect(await repository.rollbackConfig(id, 9)).toBeUndefined();
    expect(await repository.deleteConfig(id)).toBe(true);
    expect(await repository.getConfigVersion(id, 1)).toBeUndefined();
  });
});
