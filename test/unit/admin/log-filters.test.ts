import { describe, expect, it } from 'vitest';
import { logMatchesFilters } from '../../../shared/src/admin/log-filters.ts';
import type { LogFilters } from '../../../shared/src/admin/log-query-params.ts';
import type { LogEntry } from '../../../shared/src/ports/log-store.ts';

const entry: LogEntry = {
  traceId: 't1',
  requestId: 'r1',
  createdAt: 0,
  expiresAt: 0,
  apiKeyId: 'key_1',
  workspaceId: 'w1',
  data: { provider: 'openai', model: 'gpt-4o', status: 200, cost: 0.25, latencyMs: 800, metadata: { env: 'prod', team: 'search' } },
};
const matches = (filters: Partial<LogFilters>): boolean => logMatchesFilters(entry, { metadata: [], ...filters });

describe('logMatchesFilters', () => {
  it('keeps a record when every filter holds', () => {
    expect(matches({})).toBe(true);
    expect(
      matches({ traceId: 't1', apiKeyId: 'key_1', workspaceId: 'w1', provider: 'openai', model: 'gpt-4o', status: 200, minCost: 0.25, minLatencyMs: 800, metadata: [['env', 'prod'], ['team', 'search']] }),
    ).toBe(true);
    expect(matches({ status: 'success' })).toBe(true);
  });

  it.each<[string, Partial<LogFilters>]>([
    ['another trace', { traceId: 't2' }],
    ['another key', { apiKeyId: 'key_2' }],
    ['another workspace', { workspaceId: 'w2' }],
    ['another provider', { provider: 'anthropic' }],
    ['another model', { model: 'gpt-4o-mini' }],
    ['another status', { status: 429 }],
    ['errors only', { status: 'error' }],
    ['a higher cost', { minCost: 0.26 }],
    ['a higher latency', { minLatencyMs: 801 }],
    ['a metadata value', { metadata: [['env', 'dev']] }],
    ['a metadata key', { metadata: [['env', 'prod'], ['region', 'eu']] }],
  ])('drops a record for %s', (_, filters) => {
    expect(matches(filters)).toBe(false);
  });

  it('reads documents leniently: a missing latency is 0, a missing status matches no status filter', () => {
    const bare: LogEntry = { ...entry, data: {} };
    expect(logMatchesFilters(bare, { metadata: [], minLatencyMs: 1 })).toBe(false);
    expect(logMatchesFilters(bare, { metadata: [], minLatencyMs: 0 })).toBe(true);
    expect(logMatchesFilters(bare, { metadata: [], status: 'success' })).toBe(false);
  });
});
