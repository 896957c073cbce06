import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_RANGE_MS, readLogListQuery, selectLogIndex } from '../../../shared/src/admin/log-query-params.ts';
import { BadRequestError } from '../../../shared/src/core/gateway-error.ts';

const now = Date.parse('2026-03-04T12:00:00.000Z');
const read = (query: string) => readLogListQuery(new URLSearchParams(query), now);

describe('selectLogIndex', () => {
  it('prefers the trace partition, then the key index, then the workspace index, else the day index', () => {
    expect(selectLogIndex({ traceId: 't', apiKeyId: 'k', workspaceId: 'w' })).toEqual({ by: 'trace', traceId: 't' });
    expect(selectLogIndex({ apiKeyId: 'k', workspaceId: 'w' })).toEqual({ by: 'api-key', apiKeyId: 'k' });
    expect(selectLogIndex({ workspaceId: 'w' })).toEqual({ by: 'workspace', workspaceId: 'w' });
    expect(selectLogIndex({})).toEqual({ by: 'time' });
  });
});

describe('readLogListQuery', () => {
  it('defaults to the last hour and the day index', () => {
    expect(read('')).toEqual({ select: { by: 'time' }, from: now - DEFAULT_LOG_RANGE_MS, to: now, filters: { metadata: [] } });
  });

  it('reads a trace whole unless a range is given', () => {
    expect(read('trace_id=abc')).toMatchObject({ select: { by: 'trace', traceId: 'abc' }, from: undefined, to: undefined });
    expect(read('trace_id=abc&from=2026-03-01T00:00:00Z').from).toBe(Date.parse('2026-03-01T00:00:00Z'));
  });

  it('keeps every filter, the index ones included (only one of them picks the index)', () => {
    const query = read(
      'api_key_id=key_1&workspace_id=w&provider=openai&model=gpt-4o&status=error&metadata=env:prod&metadata=url:http://x&min_cost=0.5&min_latency_ms=100&from=2026-03-04T10:00:00Z',
    );
    expect(query.select).toEqual({ by: 'api-key', apiKeyId: 'key_1' });
    expect(query.from).toBe(Date.parse('2026-03-04T10:00:00Z'));
    expect(query.to).toBe(now);
    expect(query.filters).toEqual({
      apiKeyId: 'key_1',
      workspaceId: 'w',
      provider: 'openai',
      model: 'gpt-4o',
      status: 'error',
      metadata: [['env', 'prod'], ['url', 'http://x']],
      minCost: 0.5,
      minLatencyMs: 100,
    });
    expect(read('status=429').filters.status).toBe(429);
  });

  it.each([
    ['status=abc', 'status'],
    ['status=99', 'status'],
    ['metadata=novalue', 'metadata'],
    ['min_cost=-1', 'min_cost'],
    ['min_latency_ms=fast', 'min_latency_ms'],
    ['from=yesterday', 'from'],
    ['from=2026-03-04T12:00:00Z&to=2026-03-04T11:00:00Z', 'from'],
  ])('refuses %s naming %s', (query, param) => {
    let caught: unknown;
    try {
      read(query);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(BadRequestError);
    expect((caught as BadRequestError).param).toBe(param);
  });
});
