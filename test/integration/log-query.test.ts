import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGateway, startLocalGateway } from '../../local/start-local-gateway.ts';

// The log query API as `npm start` serves it: real gateway requests on the mock provider are
// logged to the local Logs table (dynalite), then read back through the admin API.

const ADMIN_TOKEN = 'log-query-admin-token-0123456789';
const run = `lq-${process.pid}-${Date.now()}`;
const trace = (name: string): string => `${run}-${name}`;

let gateway: LocalGateway;
let startedAt: number;
const keyIds: Record<string, string> = {};

interface LogItem {
  trace_id: string;
  request_id: string;
  created_at: string;
  api_key_id: string | null;
  workspace_id: string | null;
  provider: string | null;
  model: string | null;
  status: number | null;
  latency_ms: number | null;
  metadata: Record<string, string>;
  usage: { total_tokens: number | null } | null;
  feedback?: { value: number; weight: number }[];
}
interface LogPage {
  data: LogItem[];
  next_cursor: string | null;
}

async function admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${gateway.adminUrl ?? ''}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as T };
}

async function logs(query: string): Promise<LogPage> {
  const { status, json } = await admin<LogPage>('GET', `/v1/logs?${query}`);
  expect(status, JSON.stringify(json)).toBe(200);
  return json;
}

async function chat(traceId: string, options: { secret?: string; metadata?: Record<string, string>; model?: string }): Promise<void> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-portkey-provider': 'mock',
      'x-portkey-trace-id': traceId,
      ...(options.secret === undefined ? {} : { 'x-portkey-api-key': options.secret }),
      ...(options.metadata === undefined ? {} : { 'x-portkey-metadata': JSON.stringify(options.metadata) }),
    },
    body: JSON.stringify({ model: options.model ?? 'mock-model', messages: [{ role: 'user', content: `hello from ${traceId}` }] }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  await response.text();
}

/** Polls the trace query until the trace's record is stored (the log is written after the answer). */
async function waitForTrace(traceId: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if ((await logs(`trace_id=${encodeURIComponent(traceId)}`)).data.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no log for ${traceId}`);
}

const tracesOf = (page: LogPage): string[] => page.data.map((item) => item.trace_id);
const range = (): string => `from=${new Date(startedAt - 1000).toISOString()}&to=${new Date(Date.now() + 1000).toISOString()}`;

beforeAll(async () => {
  gateway = await startLocalGateway({
    environment: { TURNPIKE_DATA_DIR: ':memory:', TURNPIKE_ADMIN_TOKEN: ADMIN_TOKEN, TURNPIKE_CONFIG_FILE: '' },
    admin: { port: 0 },
  });
  startedAt = Date.now();
  const secrets: Record<string, string> = {};
  for (const [workspace, key] of [['lq-a', 'a'], ['lq-b', 'b']] as const) {
    expect((await admin('POST', '/v1/workspaces', { id: workspace, name: workspace })).status).toBe(201);
    const created = await admin<{ id: string; secret: string }>('POST', '/v1/keys', { workspace_id: workspace, name: key });
    expect(created.status).toBe(201);
    keyIds[key] = created.json.id;
    secrets[key] = created.json.secret;
  }
  // One after another, so the records' times are in this order.
  await chat(trace('1'), { secret: secrets.a, metadata: { env: 'prod' } });
  await chat(trace('2'), { secret: secrets.a, metadata: { env: 'dev', mock_latency_ms: '1500' } });
  await chat(trace('3'), { secret: secrets.b, metadata: { env: 'prod' }, model: 'mock-other' });
  await chat(trace('4'), {});
  for (const name of ['5', '6', '7']) await chat(trace(name), { secret: secrets.a });
  for (const name of ['1', '2', '3', '4', '5', '6', '7']) await waitForTrace(trace(name));
  const feedback = await fetch(`${gateway.url}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ trace_id: trace('1'), value: 5, weight: 1 }),
  });
  expect(feedback.status, await feedback.clone().text()).toBeLessThan(300);
}, 60_000);

afterAll(async () => {
  await gateway?.close();
});

describe('GET /v1/logs on the local server', () => {
  it('finds a trace by id, with its feedback, in the list and in the trace view', async () => {
    let listed: LogPage = { data: [], next_cursor: null };
    // Feedback is written after its answer too.
    for (let attempt = 0; attempt < 100 && (listed.data[0]?.feedback ?? []).length === 0; attempt++) {
      listed = await logs(`trace_id=${trace('1')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(tracesOf(listed)).toEqual([trace('1')]);
    expect(listed.data[0]).toMatchObject({ api_key_id: keyIds.a, workspace_id: 'lq-a', provider: 'mock', status: 200, metadata: { env: 'prod' } });
    expect(listed.data[0]?.feedback).toEqual([expect.objectContaining({ value: 5, weight: 1 })]);

    const view = await admin<{ trace_id: string; data: (LogItem & { bodies: unknown })[]; feedback: unknown[] }>('GET', `/v1/logs/${trace('1')}`);
    expect(view.status).toBe(200);
    expect(view.json.data).toHaveLength(1);
    expect(view.json.feedback).toHaveLength(1);
    expect((await admin('GET', `/v1/logs/${trace('missing')}`)).status).toBe(404);
  });

  it('lists one key, one workspace, newest first', async () => {
    expect(tracesOf(await logs(`api_key_id=${keyIds.a ?? ''}&${range()}`))).toEqual(['7', '6', '5', '2', '1'].map(trace));
    expect(tracesOf(await logs(`workspace_id=lq-b&${range()}`))).toEqual([trace('3')]);
    // Without a range: the last hour.
    expect(tracesOf(await logs(`workspace_id=lq-b`))).toEqual([trace('3')]);
  });

  it('filters by metadata, latency, provider and model, status', async () => {
    const ours = (page: LogPage): string[] => tracesOf(page).filter((id) => id.startsWith(run));
    expect(ours(await logs(`metadata=env:prod&${range()}`))).toEqual([trace('3'), trace('1')]);
    expect(ours(await logs(`metadata=env:prod&metadata=missing:x&${range()}`))).toEqual([]);
    expect(ours(await logs(`min_latency_ms=1200&${range()}`))).toEqual([trace('2')]);
    expect(ours(await logs(`provider=mock&model=mock-other&${range()}`))).toEqual([trace('3')]);
    expect(ours(await logs(`status=error&${range()}`))).toEqual([]);
    expect(ours(await logs(`api_key_id=${keyIds.a ?? ''}&metadata=env:dev&${range()}`))).toEqual([trace('2')]);
  });

  it('pages through a time range with cursors, nothing skipped or repeated', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: LogPage = await logs(`limit=2&${range()}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...tracesOf(page));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null && pages < 20);
    expect(seen.filter((id) => id.startsWith(run))).toEqual(['7', '6', '5', '4', '3', '2', '1'].map(trace));
    expect(pages).toBeGreaterThanOrEqual(4);
  });

  it('refuses bad parameters with the field named', async () => {
    const bad = await admin<{ error: { param: string } }>('GET', '/v1/logs?status=abc');
    expect(bad.status).toBe(400);
    expect(bad.json.error.param).toBe('status');
    expect((await admin<{ error: { param: string } }>('GET', '/v1/logs?cursor=nope')).json.error.param).toBe('cursor');
  });
});

describe('GET /v1/analytics on the local server', () => {
  it('answers one window per hour of the range (zeros before the rollup ran)', async () => {
    const from = '2026-01-01T00:00:00.000Z';
    const { status, json } = await admin<{ granularity: string; dimension: string; data: { window_start: string; requests: number }[] }>(
      'GET',
      `/v1/analytics?granularity=hour&from=${from}&to=2026-01-01T03:00:00.000Z&workspace_id=lq-a`,
    );
    expect(status).toBe(200);
    expect(json.dimension).toBe('workspace');
    expect(json.data.map((window) => window.window_start)).toEqual([from, '2026-01-01T01:00:00.000Z', '2026-01-01T02:00:00.000Z']);
    expect(json.data.every((window) => window.requests === 0)).toBe(true);
  });
});
