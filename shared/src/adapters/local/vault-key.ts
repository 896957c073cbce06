import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface VaultKeyOptions {
  /** The local data folder; the generated key lives in `<dataDir>/vault.key`. */
  dataDir: string;
  /** `TURNPIKE_VAULT_KEY`: 32 bytes in base64. When set, no key file is read or written. */
  keyBase64?: string;
}

const KEY_BYTES = 32;
export const VAULT_KEY_FILE = 'vault.key';

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`${source} must hold ${KEY_BYTES} bytes in base64 (got ${key.length} bytes).`);
  return key;
}

/**
 * The local vault's AES-256 key: from `TURNPIKE_VAULT_KEY` when set, otherwise from
 * `<dataDir>/vault.key`, generated on first use and readable by its owner only (0600).
 */
export async function loadVaultKey(options: VaultKeyOptions): Promise<Buffer> {
  if (options.keyBase64 !== undefined && options.keyBase64 !== '') return decodeKey(options.keyBase64, 'TURNPIKE_VAULT_KEY');
  const path = join(options.dataDir, VAULT_KEY_FILE);
  try {
    return decodeKey(await readFile(path, 'utf8'), path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  try {
    // `wx` fails if another process wrote the key first; then that key is the one.
    await writeFile(path, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeKey(await readFile(path, 'utf8'), path);
}
