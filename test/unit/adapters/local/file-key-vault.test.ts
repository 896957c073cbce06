import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileKeyVault } from '../../../../shared/src/adapters/local/file-key-vault.ts';
import { createInMemoryKeyVault } from '../../../../shared/src/adapters/local/in-memory-key-vault.ts';
import { loadVaultKey } from '../../../../shared/src/adapters/local/vault-key.ts';
import { describeKeyVaultContract } from '../../../contract/key-vault.contract.ts';

const root = mkdtempSync(join(tmpdir(), 'turnpike-vault-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let folders = 0;
const newFolder = () => join(root, `data-${folders++}`);
const modeOf = (path: string) => statSync(path).mode & 0o777;

describeKeyVaultContract('File key vault', async () => {
  const dataDir = newFolder();
  return createFileKeyVault({ path: join(dataDir, 'vault.json'), key: await loadVaultKey({ dataDir }) });
});

describeKeyVaultContract('In-memory key vault', () => createInMemoryKeyVault());

describe('File key vault', () => {
  it('generates its key once into a 0600 file and reuses it, so secrets survive a restart', async () => {
    const dataDir = newFolder();
    const key = await loadVaultKey({ dataDir });
    expect(key).toHaveLength(32);
    expect(modeOf(join(dataDir, 'vault.key'))).toBe(0o600);
    await createFileKeyVault({ path: join(dataDir, 'vault.json'), key }).put('vk-openai', 'sk-secret-value');

    const reopened = createFileKeyVault({ path: join(dataDir, 'vault.json'), key: await loadVaultKey({ dataDir }) });
    expect(await reopened.get('vk-openai')).toBe('sk-secret-value');
    expect(modeOf(join(dataDir, 'vault.json'))).toBe(0o600);
  });

  it('writes a versioned file with no plaintext in it', async () => {
    const dataDir = newFolder();
    const vault = createFileKeyVault({ path: join(dataDir, 'vault.json'), key: randomBytes(32) });
    await vault.put('vk-anthropic', 'sk-ant-very-secret');
    const text = readFileSync(join(dataDir, 'vault.json'), 'utf8');
    expect(text).not.toContain('sk-ant-very-secret');
    const file = JSON.parse(text) as { format: string; version: number; secrets: Record<string, Record<string, string>> };
    expect(file.format).toBe('turnpike-vault');
    expect(file.version).toBe(1);
    expect(Object.keys(file.secrets['vk-anthropic'] ?? {}).sort()).toEqual(['ciphertext', 'iv', 'tag']);
  });

  it('takes its key from TURNPIKE_VAULT_KEY when set, and refuses a key of the wrong size', async () => {
    const dataDir = newFolder();
    const key = randomBytes(32);
    expect((await loadVaultKey({ dataDir, keyBase64: key.toString('base64') })).equals(key)).toBe(true);
    expect(() => statSync(join(dataDir, 'vault.key'))).toThrow();
    await expect(loadVaultKey({ dataDir, keyBase64: randomBytes(16).toString('base64') })).rejects.toThrow(/TURNPIKE_VAULT_KEY must hold 32 bytes/);
  });

  it('fails to decrypt with another key, without revealing anything', async () => {
    const path = join(newFolder(), 'vault.json');
    await createFileKeyVault({ path, key: randomBytes(32) }).put('vk', 'sk-secret');
    const other = createFileKeyVault({ path, key: randomBytes(32) });
    const failure = other.get('vk');
    await expect(failure).rejects.toThrow(/vault key is not the one/);
    await expect(failure).rejects.not.toThrow(/sk-secret/);
  });

  it('binds each ciphertext to its name, so entries cannot be swapped', async () => {
    const path = join(newFolder(), 'vault.json');
    const key = randomBytes(32);
    const vault = createFileKeyVault({ path, key });
    await vault.put('vk-a', 'secret-a');
    await vault.put('vk-b', 'secret-b');
    const file = JSON.parse(readFileSync(path, 'utf8')) as { secrets: Record<string, unknown> };
    file.secrets['vk-b'] = file.secrets['vk-a'];
    writeFileSync(path, JSON.stringify(file));
    await expect(vault.get('vk-b')).rejects.toThrow(/Cannot decrypt/);
  });

  it('stores a name that looks like an object property as an ordinary name', async () => {
    const path = join(newFolder(), 'vault.json');
    const vault = createFileKeyVault({ path, key: randomBytes(32) });
    expect(await vault.get('__proto__')).toBeUndefined();
    await vault.put('__proto__', 'sk-1');
    expect(await vault.get('constructor')).toBeUndefined();
    expect(await vault.get('__proto__')).toBe('sk-1');
  });

  it('keeps every one of many concurrent writes', async () => {
    const vault = createFileKeyVault({ path: join(newFolder(), 'vault.json'), key: randomBytes(32) });
    await Promise.all(Array.from({ length: 10 }, (_, n) => vault.put(`vk-${n}`, `sk-${n}`)));
    expect(await Promise.all(Array.from({ length: 10 }, (_, n) => vault.get(`vk-${n}`)))).toEqual(Array.from({ length: 10 }, (_, n) => `sk-${n}`));
  });

  it('refuses a vault file of a format version it does not know', async () => {
    const path = join(newFolder(), 'vault.json');
    const vault = createFileKeyVault({ path, key: randomBytes(32) });
    await vault.put('vk', 'sk');
    writeFileSync(path, JSON.stringify({ format: 'turnpike-vault', version: 2, secrets: {} }));
    await expect(vault.get('vk')).rejects.toThrow(/format version 2/);
  });
});
