import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

/** Resolve with the URL from the "listening on" line, or reject with what the process printed. */
function listeningUrl(process: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    process.stdout?.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const match = /Turnpike gateway listening on (http:\/\/\S+)/.exec(stdout);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    process.stderr?.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
    });
    process.once('exit', (code) => reject(new Error(`exited with ${code} before listening:\n${stdout}\n${stderr}`)));
  });
}

describe('npm start (local/start-local-gateway.ts)', () => {
  it('serves /health through the Lambda handler and stops on SIGTERM', async () => {
    // `node --import tsx` is what `tsx <file>` does, without an extra process between the test and the server.
    child = spawn(process.execPath, ['--import', 'tsx', 'local/start-local-gateway.ts'], {
      cwd: repositoryRoot,
      env: { ...process.env, TURNPIKE_HOST: '127.0.0.1', TURNPIKE_PORT: '0', TURNPIKE_LOG_REQUESTS: 'false', TURNPIKE_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await listeningUrl(child);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const response = await fetch(`${url}/health`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();

    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    // The database was on disk, and closing it released its lock.
    expect(readdirSync(dataDir).sort()).toEqual(['dynamodb', 'vault.key']);
  });
});
