import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { KeyVault } from '../../ports/key-vault.ts';

export interface FileKeyVaultOptions {
  /** The vault file, e.g. `.turnpike/vault.json`. */
  path: string;
  /** 32-byte AES-256 key (see loadVaultKey). */
  key: Uint8Array;
}

/**
 * The file format, versioned so a later format can read this one:
 * `{ "format": "turnpike-vault", "version": 1, "secrets": { <name>: { iv, tag, ciphertext } } }`
 * with each field in base64. Each secret has its own random 96-bit IV, and its name is
 * authenticated data, so a ciphertext moved under another name fails to decrypt.
 */
interface SealedSecret {
  iv: string;
  tag: string;
  ciphertext: string;
}
interface VaultFileV1 {
  format: 'turnpike-vault';
  version: 1;
  secrets: Record<string, SealedSecret>;
}
/** Held as a Map so no name (not even `__proto__`) can reach an object's prototype. */
type Secrets = Map<string, SealedSecret>;

const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,256}$/;

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw new RangeError('A secret name has 1 to 256 letters, digits or /_+=.@- characters.');
}

function associatedData(name: string): Buffer {
  return Buffer.from(`turnpike-vault:v1:${name}`, 'utf8');
}

function parseVault(text: string, path: string): Secrets {
  const parsed: unknown = JSON.parse(text);
  const file = parsed as Partial<VaultFileV1> | null;
  if (file?.format !== 'turnpike-vault' || typeof file.secrets !== 'object' || file.secrets === null) {
    throw new Error(`${path} is not a Turnpike vault file.`);
  }
  if (file.version !== 1) throw new Error(`${path} has vault format version ${String(file.version)}; this version of Turnpike reads version 1.`);
  return new Map(Object.entries(file.secrets));
}

/**
 * The local KeyVault: secrets encrypted with AES-256-GCM in one JSON file. Writes replace the
 * file atomically (temporary file, then rename) with mode 0600, one at a time.
 */
export function createFileKeyVault(options: FileKeyVaultOptions): KeyVault {
  const { path } = options;
  const key = Buffer.from(options.key);
  if (key.length !== 32) throw new RangeError('The vault key must be 32 bytes.');
  let writes: Promise<unknown> = Promise.resolve();

  async function load(): Promise<Secrets> {
    try {
      return parseVault(await readFile(path, 'utf8'), path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
  }

  async function save(secrets: Secrets): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const file: VaultFileV1 = { format: 'turnpike-vault', version: 1, secrets: Object.fromEntries(secrets) };
    const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, path);
  }

  /** Run one read-modify-write after the ones before it. */
  function update(change: (secrets: Secrets) => boolean): Promise<void> {
    const next = writes.then(async () => {
      const vault = await load();
      if (change(vault)) await save(vault);
    });
    writes = next.catch(() => undefined);
    return next;
  }

  return {
    async get(name) {
      checkName(name);
      await writes;
      const sealed = (await load()).get(name);
      if (sealed === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
        decipher.setAAD(associatedData(name));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        // Never include the ciphertext or key material: say which secret and the likely cause.
        throw new Error(`Cannot decrypt the secret "${name}" in ${path}: the vault key is not the one it was written with, or the file was altered.`);
      }
    },

    async put(name, secret) {
      checkName(name);
      await update((secrets) => {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', key, iv);
        cipher.setAAD(associatedData(name));
        const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
        secrets.set(name, { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') });
        return true;
      });
    },

    async delete(name) {
      checkName(name);
      await update((secrets) => secrets.delete(name));
    },
  };
}
