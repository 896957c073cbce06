import { describe, expect, it } from 'vitest';
import type { AdminContext } from '../../../shared/src/admin/admin-route.ts';
import { analyticsRoutes, presentWindow, selectRollupRows, windowStarts } from '../../../shared/src/admin/analytics-routes.ts';
import type { RollupDimension, RollupGranularity, RollupMetrics, RollupRow, RollupStore } from '../../../shared/src/ports/rollup-store.ts';

const hour = Date.parse('2026-03-04T10:00:00.000Z');
const metrics = (requests: number, p50 = 100): RollupMetrics => ({
  requests,
  errors: 1,
  promptTokens: 10 * requests,
  completionTokens: 5 * requests,
  cachedTokens: 0,
  cost: 0.5,
  cacheHits: 0,
  latencySumMs: 200 * requests,
  latencyP50Ms: p50,
  latencyP90Ms: p50 * 2,
  latencyP99Ms: p50 * 3,
});
const row = (dimension: RollupDimension, key: string, requests: number, windowStart = hour): RollupRow => ({ granularity: 'hour', windowStart, dimension, key, metrics: metrics(requests) });

describe('selectRollupRows', () => {
  it('reads the all row without filters and one dimension for one filter', () => {
    expect(selectRollupRows({}).dimension).toBe('all');
    const model = selectRollupRows({ model: 'gpt-4o' });
    expect(model).toMatchObject({ dimension: 'model', exactPercentiles: true });
    expect(model.keep(row('model', 'gpt-4o', 1))).toBe(true);
    expect(model.keep(row('model', 'gpt-4o-mini', 1))).toBe(false);
    expect(selectRollupRows({ apiKeyId: 'key_1' }).dimension).toBe('api-key');
  });

  it('sums the matching cells for several filters', () => {
    const selection = selectRollupRows({ workspaceId: 'w1', provider: 'openai' });
    expect(selection).toMatchObject({ dimension: 'cell', exactPercentiles: false });
    expect(selection.keep(row('cell', JSON.stringify(['w1', 'key_1', 'openai', 'gpt-4o']), 1))).toBe(true);
    expect(selection.keep(row('cell', JSON.stringify(['w1', 'key_1', 'anthropic', 'claude']), 1))).toBe(false);
    expect(selection.keep(row('cell', 'not json', 1))).toBe(false);
  });
});

describe('windowStarts', () => {
  it('covers [from, to) from the window holding `from`', () => {
    expect(windowStarts('hour', hour + 60_000, hour + 2 * 3_600_000)).toEqual([hour, hour + 3_600_000]);
    expect(windowStarts('day', Date.parse('2026-03-04T10:00:00Z'), Date.parse('2026-03-05T00:00:01Z'))).toEqual([
      Date.parse('2026-03-04T00:00:00Z'),
      Date.parse('2026-03-05T00:00:00Z'),
    ]);
    expect(() => windowStarts('hour', 0, 800 * 3_600_000)).toThrow(/744/);
  });
});

describe('presentWindow', () => {
  it('keeps percentiles of a single row and drops them for sums', () => {
    expect(presentWindow(hour, [row('all', '*', 4)], true)).toMatchObject({ requests: 4, latency_avg_ms: 200, latency_p50_ms: 100, latency_p99_ms: 300 });
    const summed = presentWindow(hour, [row('cell', 'a', 1), row('cell', 'b', 3)], false);
    expect(summed).toMatchObject({ requests: 4, errors: 2, prompt_tokens: 40, cost: 1, latency_avg_ms: 200, latency_p50_ms: null });
    expect(presentWindow(hour, [], true)).toMatchObject({ requests: 0, latency_avg_ms: null });
  });
});

describe('GET /v1/analytics', () => {
  it('answers one entry per window from the rollup store', async () => {
    const reads: [RollupGranularity, number, RollupDimension][] = [];
    const rollups: RollupStore = {
      async put() {},
      async readCheckpoint() {
        return undefined;
      },
      async advanceCheckpoint() {
        return true;
      },
      async list(granularity, windowStart, dimension) {
        reads.push([granularity, windowStart, dimension]);
        return windowStart === hour ? [row('provider', 'openai', 2), row('provider', 'mock', 5)] : [];
      },
    };
    const context: AdminContext = { actor: 'test', control: undefined as never, vault: undefined as never, clock: { now: () => hour + 2 * 3_600_000 }, rollups };
    const handler = analyticsRoutes[0]?.handler;
    const response = await handler?.({ context, params: {}, query: new URLSearchParams('provider=openai&from=2026-03-04T10:00:00Z'), body: async () => undefined });
    const json = (await response?.json()) as { dimension: string; data: { window_start: string; requests: number }[] };
    expect(json.dimension).toBe('provider');
    expect(json.data.map((window) => [window.window_start, window.requests])).toEqual([
      ['2026-03-04T10:00:00.000Z', 2],
      ['2026-03-04T11:00:00.000Z', 0],
    ]);
    expect(reads).toEqual([
      ['hour', hour, 'provider'],
      ['hour', hour + 3_600_000, 'provider'],
    ]);
  });
});
