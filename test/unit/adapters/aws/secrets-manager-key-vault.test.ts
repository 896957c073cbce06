import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecretsManagerKeyVault } from '../../../../shared/src/adapters/aws/secrets-manager-key-vault.ts';
import { describeKeyVaultContract } from '../../../contract/key-vault.contract.ts';
import { FakeClock } from '../../../support/fake-clock.ts';

const PREFIX = 'turnpike/test/virtual-keys/';

const notFound = () => new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });
const throttled = () =>
  new SecretsManagerServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: {} });

/** A client whose calls are answered by an in-memory stand-in for Secrets Manager. */
function fakeSecretsManager() {
  const client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const mock = mockClient(client);
  const secrets = new Map<string, string>();
  mock.on(GetSecretValueCommand).callsFake(({ SecretId }: { SecretId: string }) => {
    const value = secrets.get(SecretId);
    if (value === undefined) throw notFound();
    return { Name: SecretId, SecretString: value };
  });
  mock.on(PutSecretValueCommand).callsFake(({ SecretId, SecretString }: { SecretId: string; SecretString: string }) => {
    if (!secrets.has(SecretId)) throw notFound();
    secrets.set(SecretId, SecretString);
    return {};
  });
  mock.on(CreateSecretCommand).callsFake(({ Name, SecretString }: { Name: string; SecretString: string }) => {
    if (secrets.has(Name)) throw new ResourceExistsException({ message: 'exists', $metadata: {} });
    secrets.set(Name, SecretString);
    return {};
  });
  mock.on(DeleteSecretCommand).callsFake(({ SecretId }: { SecretId: string }) => {
    if (!secrets.delete(SecretId)) throw notFound();
    return {};
  });
  return { client, mock, secrets };
}

const clients: SecretsManagerClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

function vaultOn(fake: ReturnType<typeof fakeSecretsManager>, options: { clock?: FakeClock; cacheTtlMs?: number; maxCachedSecrets?: number; kmsKeyId?: string } = {}) {
  clients.push(fake.client);
  return createSecretsManagerKeyVault({ client: fake.client, prefix: PREFIX, ...options });
}

describeKeyVaultContract('Secrets Manager key vault (aws-sdk-client-mock)', () => vaultOn(fakeSecretsManager()));

describe('Secrets Manager key vault', () => {
  it('reads a secret under the prefix once and serves it from memory for five minutes', async () => {
    const fake = fakeSecretsManager();
    fake.secrets.set(`${PREFIX}vk-openai`, 'sk-1');
    const clock = new FakeClock();
    const vault = vaultOn(fake, { clock });
    expect(await vault.get('vk-openai')).toBe('sk-1');
    fake.secrets.set(`${PREFIX}vk-openai`, 'sk-rotated');
    clock.current += 5 * 60 * 1000 - 1;
    expect(await vault.get('vk-openai')).toBe('sk-1');
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(fake.mock.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: `${PREFIX}vk-openai` });
    clock.current += 1;
    expect(await vault.get('vk-openai')).toBe('sk-rotated');
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('never keeps a secret longer than five minutes, whatever it is told', async () => {
    const fake = fakeSecretsManager();
    fake.secrets.set(`${PREFIX}vk`, 'sk-1');
    const clock = new FakeClock();
    const vault = vaultOn(fake, { clock, cacheTtlMs: 60 * 60 * 1000 });
    await vault.get('vk');
    clock.current += 5 * 60 * 1000;
    await vault.get('vk');
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('answers undefined for a missing secret and asks again next time', async () => {
    const fake = fakeSecretsManager();
    const vault = vaultOn(fake);
    expect(await vault.get('vk-missing')).toBeUndefined();
    fake.secrets.set(`${PREFIX}vk-missing`, 'sk-now');
    expect(await vault.get('vk-missing')).toBe('sk-now');
  });

  it('turns throttling that outlasted the SDK retries into a 503 without the secret name, and does not cache it', async () => {
    const fake = fakeSecretsManager();
    fake.secrets.set(`${PREFIX}vk`, 'sk-1');
    const vault = vaultOn(fake);
    fake.mock.on(GetSecretValueCommand).rejectsOnce(throttled());
    const failure = vault.get('vk');
    await expect(failure).rejects.toMatchObject({ status: 503, code: 'key_vault_unavailable', retryable: true });
    await expect(failure).rejects.toMatchObject({ message: expect.not.stringContaining('vk') });
    fake.mock.on(GetSecretValueCommand).resolves({ SecretString: 'sk-1' });
    expect(await vault.get('vk')).toBe('sk-1');
  });

  it('shares one call between concurrent reads of a name', async () => {
    const fake = fakeSecretsManager();
    fake.secrets.set(`${PREFIX}vk`, 'sk-1');
    const vault = vaultOn(fake);
    expect(await Promise.all([vault.get('vk'), vault.get('vk'), vault.get('vk')])).toEqual(['sk-1', 'sk-1', 'sk-1']);
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('keeps at most maxCachedSecrets, dropping the oldest', async () => {
    const fake = fakeSecretsManager();
    for (const name of ['a', 'b', 'c']) fake.secrets.set(`${PREFIX}${name}`, `sk-${name}`);
    const vault = vaultOn(fake, { maxCachedSecrets: 2 });
    for (const name of ['a', 'b', 'c', 'c', 'b']) await vault.get(name);
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(3);
    await vault.get('a');
    expect(fake.mock.commandCalls(GetSecretValueCommand)).toHaveLength(4);
  });

  it('creates a new secret with the stack key, and replaces the cached value on write', async () => {
    const fake = fakeSecretsManager();
    const vault = vaultOn(fake, { kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc' });
    await vault.put('vk', 'sk-1');
    expect(fake.mock.commandCalls(CreateSecretCommand)[0]?.args[0].input).toEqual({
      Name: `${PREFIX}vk`,
      SecretString: 'sk-1',
      KmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/abc',
    });
    expect(await vault.get('vk')).toBe('sk-1');
    await vault.put('vk', 'sk-2');
    expect(await vault.get('vk')).toBe('sk-2');
    await vault.delete('vk');
    expect(fake.mock.commandCalls(DeleteSecretCommand)[0]?.args[0].input).toEqual({ SecretId: `${PREFIX}vk`, ForceDeleteWithoutRecovery: true });
    expect(await vault.get('vk')).toBeUndefined();
  });

  it('does not cache a value read while a write to the same name was under way', async () => {
    const fake = fakeSecretsManager();
    fake.secrets.set(`${PREFIX}vk`, 'sk-old');
    const vault = vaultOn(fake);
    const read = vault.get('vk');
    await vault.put('vk', 'sk-new');
    await read;
    expect(await vault.get('vk')).toBe('sk-new');
  });
});
