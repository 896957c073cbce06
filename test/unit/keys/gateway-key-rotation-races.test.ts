import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStores } from '../../../shared/src/adapters/aws/dynamodb-stores.ts';
import { createInMemoryKeyVault } from '../../../shared/src/adapters/local/in-memory-key-vault.ts';
import type { AccessStores } from '../../../shared/src/keys/access-stores.ts';
import { createApiKey, deleteApiKey, getApiKeyById, revokeApiKey, rotateApiKey, updateApiKey } from '../../../shared/src/keys/gateway-key-writes.ts';
import { hashGatewayKey } from '../../../shared/src/keys/gateway-key-secret.ts';
import type { ControlStore } from '../../../shared/src/ports/control-store.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
let control: ControlStore;
const clock = new FakeClock();

beforeAll(async () => {
  dynamo = await startTestDynamo();
  control = createDynamoDbStores(dynamo.client, dynamo.tables, clock).control;
});
afterAll(async () => {
  await dynamo?.close();
});

/** Stores whose control store runs `meanwhile` once, right after the rotation swapped the key's pointer. */
function storesWithRace(meanwhile: (plain: AccessStores) => Promise<unknown>): AccessStores {
  const plain: AccessStores = { control, vault: createInMemoryKeyVault(), clock };
  let fired = false;
  const racing: ControlStore = {
    ...control,
    get: (kind, id) => control.get(kind, id),
    list: (kind, request) => control.list(kind, request),
    putIfAbsent: (input) => control.putIfAbsent(input),
    delete: (kind, id, version) => control.delete(kind, id, version),
    async putIfVersion(input, version) {
      const written = await control.putIfVersion(input, version);
      if (!fired && input.kind === 'api-key-id' && written !== undefined) {
        fired = true;
        await meanwhile(plain);
      }
      return written;
    },
  };
  return { ...plain, control: racing };
}

describe('rotating a gateway key while it changes', () => {
  it('keeps a revocation that landed on the old item during the rotation', async () => {
    const plain: AccessStores = { control, vault: createInMemoryKeyVault(), clock };
    const { record, secret } = await createApiKey(plain, { workspaceId: 'ws', name: 'race-revoke' });
    // The revocation read the key before the pointer moved, and writes the old item after.
    const staleRead = await control.get('api-key', hashGatewayKey(secret));
    const rotated = await rotateApiKey(
      storesWithRace(async () => {
        if (staleRead === undefined) throw new Error('no item');
        await control.putIfVersion({ kind: 'api-key', id: staleRead.id, data: { ...staleRead.data, status: 'revoked', revokedAt: 5 } }, staleRead.version);
      }),
      record.id,
    );
    expect(rotated?.record.status).toBe('revoked');
    expect((await getApiKeyById(plain, record.id))?.status).toBe('revoked');
    expect(await control.get('api-key', hashGatewayKey(secret))).toBeUndefined();
  });

  it('keeps a settings change that landed on the old item during the rotation', async () => {
    const plain: AccessStores = { control, vault: createInMemoryKeyVault(), clock };
    const { record, secret } = await createApiKey(plain, { workspaceId: 'ws', name: 'race-patch' });
    // A PATCH that read the key before the pointer moved writes the old item after it moved.
    const staleRead = await control.get('api-key', hashGatewayKey(secret));
    const rotated = await rotateApiKey(
      storesWithRace(async () => {
        if (staleRead === undefined) throw new Error('no item');
        await control.putIfVersion({ kind: 'api-key', id: staleRead.id, data: { ...staleRead.data, name: 'renamed' } }, staleRead.version);
      }),
      record.id,
    );
    expect(rotated?.record.name).toBe('renamed');
    expect((await getApiKeyById(plain, record.id))?.name).toBe('renamed');
    expect(await updateApiKey(plain, record.id, { name: 'after' })).toMatchObject({ name: 'after' });
  });

  it('leaves no working secret when the key is deleted during the rotation', async () => {
    const plain: AccessStores = { control, vault: createInMemoryKeyVault(), clock };
    const { record } = await createApiKey(plain, { workspaceId: 'ws', name: 'race-delete' });
    let newHashes: string[] = [];
    const rotated = await rotateApiKey(
      storesWithRace(async (stores) => {
        newHashes = [String((await control.get('api-key-id', record.id))?.data.hash)];
        await deleteApiKey(stores, record.id);
      }),
      record.id,
    );
    expect(rotated).toBeUndefined();
    expect(await getApiKeyById(plain, record.id)).toBeUndefined();
    for (const hash of newHashes) expect(await control.get('api-key', hash)).toBeUndefined();
  });

  it('still rotates as before when nothing races', async () => {
    const plain: AccessStores = { control, vault: createInMemoryKeyVault(), clock };
    const { record, secret } = await createApiKey(plain, { workspaceId: 'ws', name: 'calm' });
    const rotated = await rotateApiKey(plain, record.id);
    expect(rotated?.record.name).toBe('calm');
    expect(await control.get('api-key', hashGatewayKey(secret))).toBeUndefined();
    expect(await control.get('api-key', hashGatewayKey(rotated?.secret ?? ''))).toBeDefined();
    expect(await revokeApiKey(plain, record.id)).toMatchObject({ status: 'revoked' });
  });
});
