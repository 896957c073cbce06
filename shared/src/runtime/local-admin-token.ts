import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashAdminToken } from '../admin/admin-authenticators.ts';

/** Where the local admin token's SHA-256 is kept (never the token itself). */
export const ADMIN_TOKEN_HASH_FILE = 'admin-token.sha256';
const MIN_TOKEN_LENGTH = 16;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export interface LocalAdminToken {
  /** SHA-256 hex of the token the admin API accepts. */
  sha256: string;
  /** The token, only when it was generated just now: print it once, it is not kept anywhere. */
  generated: string | undefined;
}

export interface LocalAdminTokenOptions {
  /** The local data folder; undefined when everything is in memory. */
  dataDir: string | undefined;
  /** `TURNPIKE_ADMIN_TOKEN`; when set, no file is read or written. */
  token: string | undefined;
}

/**
 * The local admin API's token: `TURNPIKE_ADMIN_TOKEN` when set; otherwise the hash kept in
 * `<dataDir>/admin-token.sha256` (0600) from an earlier start; otherwise a new random token
 * whose hash is written there (kept in memory only with `TURNPIKE_DATA_DIR=:memory:`).
 */
export async function loadLocalAdminToken(options: LocalAdminTokenOptions): Promise<LocalAdminToken> {
  if (options.token !== undefined && options.token !== '') {
    if (options.token.length < MIN_TOKEN_LENGTH || /\s/.test(options.token)) {
      throw new Error(`TURNPIKE_ADMIN_TOKEN must be at least ${MIN_TOKEN_LENGTH} characters without spaces.`);
    }
    return { sha256: hashAdminToken(options.token), generated: undefined };
  }
  const token = `tpa_${randomBytes(32).toString('base64url')}`;
  if (options.dataDir === undefined) return { sha256: hashAdminToken(token), generated: token };

  const path = join(options.dataDir, ADMIN_TOKEN_HASH_FILE);
  const stored = await readHash(path);
  if (stored !== undefined) return { sha256: stored, generated: undefined };
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: if another process wrote a hash first, that one stands (and it printed its token).
    await writeFile(path, `${hashAdminToken(token)}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const winner = await readHash(path);
    if (winner === undefined) throw new Error(`${path} vanished while it was being read.`, { cause: error });
    return { sha256: winner, generated: undefined };
  }
  return { sha256: hashAdminToken(token), generated: token };
}

async function readHash(path: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const hash = text.trim();
  if (!SHA256_HEX.test(hash)) throw new Error(`${path} must hold a SHA-256 hex digest; delete it to have a new admin token generated.`);
  return hash;
}
