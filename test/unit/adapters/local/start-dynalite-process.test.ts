import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../../shared/src/adapters/aws/dynamodb-client.ts';
import { createDynamoDbStores } from '../../../../shared/src/adapters/aws/dynamodb-stores.ts';
import { createTurnpikeTables } from '../../../../shared/src/adapters/aws/create-turnpike-tables.ts';
import { type LocalDynamoProcess, startDynaliteProcess } from '../../../../shared/src/adapters/local/start-dynalite-process.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { TEST_TABLES } from '../../../support/start-test-dynamo.ts';

const root = mkdtempSync(join(tmpdir(), 'turnpike-dynalite-process-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HOLDER = fileURLToPath(new URL('../../../support/hold-dynalite-process.ts', import.meta.url));
const expiresAt = Math.floor(Date.now() / 1000) + 3600;

/** Whether the process exists and has not exited (an orphan's zombie, not yet reaped, has). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const state = /\) (\S)/.exec(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.[1];
  return state !== 'Z' && state !== 'X';
}

async function until(done: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !done(); ) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The stores on a running database process, with the tables created; `close` closes the client only. */
async function storesOn(dynamo: LocalDynamoProcess) {
  const client = createDynamoDbClient({ endpoint: dynamo.endpoint });
  await createTurnpikeTables(client, TEST_TABLES, { pollMs: 5 });
  return { ...createDynamoDbStores(client, TEST_TABLES, new FakeClock(Date.now())), close: () => client.destroy() };
}

// Each test starts Node processes with tsx; on a busy two-core machine that takes a few seconds.
describe('startDynaliteProcess', { timeout: 60_000 }, () => {
  it('serves the stores from a process of its own on 127.0.0.1, and stops it on close', async () => {
    const dynamo = await startDynaliteProcess();
    try {
      expect(dynamo.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(dynamo.pid).not.toBe(process.pid);
      expect(isRunning(dynamo.pid)).toBe(true);
      const stores = await storesOn(dynamo);
      await stores.counters.add('served', 3, { expiresAt });
      expect(await stores.counters.get('served')).toBe(3);
      stores.close();
    } finally {
      await dynamo.close();
    }
    expect(isRunning(dynamo.pid)).toBe(false);
  });

  it('keeps the data on disk across restarts, holding the folder\'s lock while it runs', async () => {
    const path = join(root, 'persisted');
    const first = await startDynaliteProcess({ path });
    expect(readFileSync(`${path}.lock`, 'utf8').trim()).toBe(String(first.pid));
    const stores = await storesOn(first);
    await stores.counters.add('kept', 5, { expiresAt });
    stores.close();
    // A second database on the same folder is refused, with the first one's process named.
    await expect(startDynaliteProcess({ path })).rejects.toThrow(new RegExp(`in use by process ${first.pid}`));
    await first.close();
    expect(existsSync(`${path}.lock`)).toBe(false);

    const second = await startDynaliteProcess({ path });
    try {
      const again = await storesOn(second);
      expect(await again.counters.get('kept')).toBe(5);
      again.close();
    } finally {
      await second.close();
    }
  });

  it('closes the database cleanly, data kept, when its parent is killed', async () => {
    const path = join(root, 'orphaned');
    const parent = spawn(process.execPath, ['--import', 'tsx', HOLDER, path, 'from-the-parent'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    parent.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    parent.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    await until(() => stdout.includes('\n') || parent.exitCode !== null, 'the parent to start its database', 30_000);
    expect(stdout, stderr).toMatch(/^\{"pid":\d+\}\n$/);
    const { pid } = JSON.parse(stdout) as { pid: number };
    expect(isRunning(pid)).toBe(true);

    parent.kill('SIGKILL');
    await until(() => !isRunning(pid), 'the database process to exit');
    // It went through its close (the lock is released only there), so the data reached the disk.
    expect(existsSync(`${path}.lock`)).toBe(false);
    const reopened = await startDynaliteProcess({ path });
    try {
      const stores = await storesOn(reopened);
      expect(await stores.counters.get('from-the-parent')).toBe(42);
      stores.close();
    } finally {
      await reopened.close();
    }
  });
});
