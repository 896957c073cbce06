import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbStores } from '../../shared/src/adapters/aws/dynamodb-stores.ts';
import { createInMemoryKeyVault } from '../../shared/src/adapters/local/in-memory-key-vault.ts';
import { createTokenAdminAuthenticator } from '../../shared/src/admin/admin-authenticators.ts';
import { runRollups } from '../../shared/src/analytics/run-rollups.ts';
import { type AdminEngine, createAdminEngine } from '../../shared/src/engine/create-admin-engine.ts';
import { KNOWN_HOUR_ROWS, KNOWN_REQUESTS, logEntry } from '../support/log-entry-fixtures.ts';
import { type TestDynamo, startTestDynamo } from '../support/start-test-dynamo.ts';

// The admin API's log and analytics reads on the real DynamoDB adapters (dynalite), over logs
// with known numbers that the real rollup code has rolled up.

const TOKEN = 'analytics-query-admin-token-0123';
const at = (iso: string): number => Date.parse(iso);
// Rollup rows expire 90 days after their window: everything reads as of the fixtures' days.
const clock = { now: () => at('2025-03-04T02:05:00Z') };

let dynamo: TestDynamo;
let engine: AdminEngine;

async function get<T>(path: string): Promise<{ status: number; json: T }> {
  const response = await engine.handle(new Request(`http://admin.test${path}`, { headers: { authorization: `Bearer ${TOKEN}` } }));
  return { status: response.status, json: (await response.json()) as T };
}

beforeAll(async () => {
  dynamo = await startTestDynamo();
  const stores = createDynamoDbStores(dynamo.client, dynamo.tables, clock);
  for (const [index, request] of KNOWN_REQUESTS.entries()) await stores.logs.put(logEntry(request, index));
  await runRollups({ logs: stores.logs, rollups: stores.rollups, windowEnd: at('2025-03-04T02:00:00Z'), now: clock.now(), from: at('2025-03-03T00:00:00Z') });
  engine = createAdminEngine({
    version: 'test',
    control: stores.control,
    keyVault: createInMemoryKeyVault(),
    logs: stores.logs,
    rollups: stores.rollups,
    clock,
    authenticator: createTokenAdminAuthenticator(createHash('sha256').update(TOKEN).digest('hex')),
    close: async () => undefined,
  });
}, 60_000);
afterAll(() => dynamo?.close());

interface Window {
  window_start: string;
  requests: number;
  errors: number;
  prompt_tokens: number;
  latency_p50_ms: number | null;
  latency_p99_ms: number | null;
}

describe('GET /v1/analytics on the DynamoDB rollups', () => {
  it('shows the all row, one dimension with its percentiles, and summed cells without them', async () => {
    const range = 'from=2025-03-04T00:00:00Z&to=2025-03-04T02:00:00Z';
    const all = await get<{ dimension: string; data: Window[] }>(`/v1/analytics?${range}`);
    expect(all.status).toBe(200);
    expect(all.json.dimension).toBe('all');
    const hour = KNOWN_HOUR_ROWS.all[0].metrics;
    expect(all.json.data[0]).toMatchObject({ window_start: '2025-03-04T00:00:00.000Z', requests: hour.requests, errors: hour.errors, prompt_tokens: hour.promptTokens, latency_p50_ms: hour.latencyP50Ms });
    expect(all.json.data[1]).toMatchObject({ window_start: '2025-03-04T01:00:00.000Z', requests: 1 });

    const workspace = await get<{ dimension: string; data: Window[] }>(`/v1/analytics?${range}&workspace_id=ws-b`);
    expect(workspace.json.dimension).toBe('workspace');
    expect(workspace.json.data[0]).toMatchObject({ requests: 2, latency_p50_ms: 200, latency_p99_ms: 700 });

    const cells = await get<{ dimension: string; data: Window[] }>(`/v1/analytics?${range}&workspace_id=ws-a&provider=openai`);
    expect(cells.json.dimension).toBe('cell');
    expect(cells.json.data[0]).toMatchObject({ requests: 2, prompt_tokens: 20, latency_p50_ms: null });

    const days = await get<{ data: Window[] }>('/v1/analytics?granularity=day&from=2025-03-03T00:00:00Z&to=2025-03-04T00:00:00Z');
    expect(days.json.data).toEqual([expect.objectContaining({ window_start: '2025-03-03T00:00:00.000Z', requests: 2 })]);
  });
});

describe('GET /v1/logs on the DynamoDB log store', () => {
  it('pages newest first across UTC days with a small limit', async () => {
    const traces: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `from=2025-03-03T00:00:00Z&to=2025-03-04T02:00:00Z&limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
      const page = await get<{ data: { trace_id: string }[]; next_cursor: string | null }>(`/v1/logs?${query}`);
      expect(page.status).toBe(200);
      traces.push(...page.json.data.map((item) => item.trace_id));
      cursor = page.json.next_cursor;
    } while (cursor !== null);
    const expected = KNOWN_REQUESTS.map((request, index) => ({ at: request.at, trace: `trace-${index}` }))
      .sort((left, right) => right.at.localeCompare(left.at))
      .map((item) => item.trace);
    expect(traces).toEqual(expected);
  });

  it('filters an index query by status and latency', async () => {
    const errors = await get<{ data: { trace_id: string; status: number }[] }>('/v1/logs?from=2025-03-04T00:00:00Z&to=2025-03-04T02:00:00Z&status=error');
    expect(errors.json.data.map((item) => item.status).sort()).toEqual([400, 529]);
    const slow = await get<{ data: { trace_id: string }[] }>('/v1/logs?api_key_id=key-3&from=2025-03-04T00:00:00Z&to=2025-03-04T02:00:00Z&min_latency_ms=500');
    expect(slow.json.data.map((item) => item.trace_id)).toEqual(['trace-7', 'trace-5']);
  });
});
