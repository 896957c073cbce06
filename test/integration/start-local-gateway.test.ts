import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
let child: ChildProcess | undefined;
// The local database and vault go to a folder of the test's own, not the repo's .turnpike/.
const dataDir = mkdtempSync(join(tmpdir(), 'turnpike-start-'));

afterEach(() => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface StartupLines {
  url: string;
  adminUrl: string;
  adminToken: string;
}

/**
 * Resolve with the gateway and admin URLs and the admin token generated on first start, from
 * the lines the server prints, or reject with what the process printed.
 */
function startupLines(process: ChildProcess): Promise<StartupLines> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    process.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const url = /Turnpike gateway listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      const adminUrl = /Turnpike admin API listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      const adminToken = /Turnpike admin token .*: (tpa_\S+)/.exec(stdout)?.[1];
      if (url !== undefined && adminUrl !== undefined && adminToken !== undefined) resolve({ url, adminUrl, adminToken });
    });
    process.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    process.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
}

describe('npm start (local/start-local-gateway.ts)', () => {
  it('serves /health and the admin API through the Lambda handlers and stops on SIGTERM', async () => {
    const { TURNPIKE_ADMIN_TOKEN: _ignored, ...environment } = process.env;
    // `node --import tsx` is what `tsx <file>` does, without an extra process between the test and the server.
    child = spawn(process.execPath, ['--import', 'tsx', 'local/start-local-gateway.ts'], {
      cwd: repositoryRoot,
      env: { ...environment, TURNPIKE_HOST: '127.0.0.1', TURNPIKE_PORT: '0', TURNPIKE_ADMIN_PORT: '0', TURNPIKE_LOG_REQUESTS: 'false', TURNPIKE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { url, adminUrl, adminToken } = await startupLines(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // The database runs in a process of its own, the gateway's child.
    const gatewayPid = child.pid ?? 0;
    const databasePids = readFileSync(`/proc/${gatewayPid}/task/${gatewayPid}/children`, 'utf8')
      .split(' ')
      .filter((pid) => pid !== '' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('dynalite-process-main'));
    expect(databasePids).toHaveLength(1);

    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();

    // The token printed once opens the admin API; nothing else does.
    const listed = await fetch(`${adminUrl}/v1/workspaces`, { headers: { authorization: `Bearer ${adminToken}` } });
    expect(await listed.json()).toEqual({ data: [], next_cursor: null });
    const refused = await fetch(`${adminUrl}/v1/workspaces`);
    expect(refused.status).toBe(401);
    await refused.arrayBuffer();

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(existsSync(`/proc/${databasePids[0]}`)).toBe(false);
    // The database was on disk, and closing it released its lock; of the admin token only its hash is kept.
    expect(readdirSync(dataDir).sort()).toEqual(['admin-token.sha256', 'dynamodb', 'vault.key']);
    expect(readFileSync(join(dataDir, 'admin-token.sha256'), 'utf8')).not.toContain(adminToken);
  });
});
