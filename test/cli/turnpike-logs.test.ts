import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGateway, startLocalGateway } from '../../local/start-local-gateway.ts';
import { runTurnpike, type TurnpikeRun } from './support/run-turnpike.ts';

// `turnpike logs` and `turnpike analytics`, the real binary against the real local server.

const TOKEN = 'cli-logs-admin-token-0123456789';
const BIN = fileURLToPath(new URL('../../cli/bin/turnpike.mjs', import.meta.url));
const run = `cli-logs-${process.pid}-${Date.now()}`;

let gateway: LocalGateway;

const env = (): Record<string, string> => ({ TURNPIKE_ADMIN_URL: gateway.adminUrl ?? '', TURNPIKE_ADMIN_TOKEN: TOKEN });
const turnpike = (...args: string[]): Promise<TurnpikeRun> => runTurnpike(args, { env: env() });

async function chat(traceId: string, metadata: Record<string, string>): Promise<void> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-portkey-provider': 'mock', 'x-portkey-trace-id': traceId, 'x-portkey-metadata': JSON.stringify(metadata) },
    body: JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'hello' }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
}

async function waitForLog(traceId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await fetch(`${gateway.adminUrl ?? ''}/v1/logs?trace_id=${traceId}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    if (((await response.json()) as { data: unknown[] }).data.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no log for ${traceId}`);
}

beforeAll(async () => {
  gateway = await startLocalGateway({
    environment: { TURNPIKE_DATA_DIR: ':memory:', TURNPIKE_ADMIN_TOKEN: TOKEN, TURNPIKE_CONFIG_FILE: '' },
    admin: { port: 0 },
  });
  await chat(`${run}-1`, { team: 'cli' });
  await chat(`${run}-2`, { team: 'other' });
  await waitForLog(`${run}-1`);
  await waitForLog(`${run}-2`);
}, 60_000);

afterAll(async () => {
  await gateway?.close();
});

describe('turnpike logs and analytics', { timeout: 60_000 }, () => {
  it('lists logs as JSON and as a table, filtered by metadata', async () => {
    const json = await turnpike('logs', '--metadata', 'team=cli', '--json');
    expect(json.code, json.stderr).toBe(0);
    const page = JSON.parse(json.stdout) as { data: { trace_id: string; provider: string }[]; next_cursor: string | null };
    expect(page.data.map((item) => item.trace_id)).toEqual([`${run}-1`]);
    expect(page.data[0]?.provider).toBe('mock');

    const table = await turnpike('logs', '--all');
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]?.split(/ {2,}/)).toEqual(['TIME', 'TRACE', 'STATUS', 'PROVIDER', 'MODEL', 'LATENCY MS', 'TOKENS', 'COST']);
    expect(lines.slice(1).map((line) => line.split(/ {2,}/)[1])).toEqual([`${run}-2`, `${run}-1`]);

    const bad = await turnpike('logs', '--min-latency-ms', 'slow');
    expect(bad.code).toBe(2);
  });

  it('follows new records until interrupted, then exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'logs', '--follow', '--json'], {
      env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const waitFor = async (text: string): Promise<void> => {
      for (let waited = 0; !stdout.includes(text); waited += 50) {
        if (waited > 20_000) throw new Error(`no "${text}" in ${stdout} ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await waitFor(`${run}-2`);
      const first = stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { trace_id: string }).trace_id);
      // Oldest first, like a tail.
      expect(first.slice(-2)).toEqual([`${run}-1`, `${run}-2`]);
      await chat(`${run}-3`, { team: 'cli' });
      await waitFor(`${run}-3`);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, stderr).toBe(0);
    const traces = stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { trace_id: string }).trace_id);
    expect(traces.filter((id) => id.startsWith(run))).toEqual([`${run}-1`, `${run}-2`, `${run}-3`]);
  });

  it('shows analytics as JSON', async () => {
    const result = await turnpike('analytics', '--granularity', 'hour', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T02:00:00Z', '--workspace', 'w', '--json');
    expect(result.code, result.stderr).toBe(0);
    const answer = JSON.parse(result.stdout) as { granularity: string; dimension: string; data: { window_start: string }[] };
    expect(answer).toMatchObject({ granularity: 'hour', dimension: 'workspace' });
    expect(answer.data.map((window) => window.window_start)).toEqual(['2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z']);
    const table = await turnpike('analytics', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-01T01:00:00Z');
    expect(table.stdout).toMatch(/^WINDOW +REQUESTS +ERRORS/);
    expect((await turnpike('analytics', '--granularity', 'week')).code).toBe(2);
  });
});
