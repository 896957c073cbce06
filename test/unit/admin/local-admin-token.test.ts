import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashAdminToken } from '../../../shared/src/admin/admin-authenticators.ts';
import { ADMIN_TOKEN_HASH_FILE, loadLocalAdminToken } from '../../../shared/src/runtime/local-admin-token.ts';

const folders: string[] = [];
function dataDir(): string {
  const folder = mkdtempSync(join(tmpdir(), 'turnpike-admin-token-'));
  folders.push(folder);
  return folder;
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('loadLocalAdminToken', () => {
  it('generates a token on first start and keeps only its SHA-256, readable by the owner alone', async () => {
    const folder = join(dataDir(), 'nested');
    const first = await loadLocalAdminToken({ dataDir: folder, token: undefined });
    expect(first.generated).toMatch(/^tpa_[A-Za-z0-9_-]{43}$/);
    const path = join(folder, ADMIN_TOKEN_HASH_FILE);
    const stored = readFileSync(path, 'utf8');
    expect(stored).toBe(`${hashAdminToken(first.generated ?? '')}\n`);
    expect(stored).not.toContain(first.generated);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(first.sha256).toBe(hashAdminToken(first.generated ?? ''));

    const second = await loadLocalAdminToken({ dataDir: folder, token: undefined });
    expect(second).toEqual({ sha256: first.sha256, generated: undefined });
  });

  it('uses TURNPIKE_ADMIN_TOKEN when set, writing nothing', async () => {
    const folder = dataDir();
    const answer = await loadLocalAdminToken({ dataDir: folder, token: 'my-own-admin-token-123' });
    expect(answer).toEqual({ sha256: hashAdminToken('my-own-admin-token-123'), generated: undefined });
    expect(() => statSync(join(folder, ADMIN_TOKEN_HASH_FILE))).toThrow();
    await expect(loadLocalAdminToken({ dataDir: folder, token: 'short' })).rejects.toThrow(/at least 16 characters/);
  });

  it('keeps a generated token in memory only for an in-memory data folder', async () => {
    const answer = await loadLocalAdminToken({ dataDir: undefined, token: undefined });
    expect(answer.sha256).toBe(hashAdminToken(answer.generated ?? ''));
  });

  it('refuses a hash file that is not a SHA-256 digest', async () => {
    const folder = dataDir();
    writeFileSync(join(folder, ADMIN_TOKEN_HASH_FILE), 'plain-token\n');
    await expect(loadLocalAdminToken({ dataDir: folder, token: undefined })).rejects.toThrow(/SHA-256/);
  });
});
