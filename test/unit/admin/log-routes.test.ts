import { describe, expect, it } from 'vitest';
import type { AdminContext, AdminRoute } from '../../../shared/src/admin/admin-route.ts';
import { decodeLogCursor, encodeLogCursor } from '../../../shared/src/admin/log-cursor.ts';
import { logRoutes, readLogPage } from '../../../shared/src/admin/log-routes.ts';
import type { FeedbackEntry, LogEntry, LogQuery, LogStore } from '../../../shared/src/ports/log-store.ts';

const now = Date.parse('2026-03-04T12:00:00.000Z');

function entry(index: number, data: LogEntry['data'] = {}): LogEntry {
  return { traceId: `t${index}`, requestId: `r${index}`, createdAt: now - index * 1000, expiresAt: 0, apiKeyId: 'key_1', data: { status: 200, ...data } };
}

/** A LogStore over an array (newest first), paging by offset; records every query. */
function fakeLogs(entries: LogEntry[], feedback: FeedbackEntry[] = []): LogStore & { queries: LogQuery[] } {
  const queries: LogQuery[] = [];
  return {
    queries,
    maxBatchEntries: 25,
    async put() {},
    async putBatch() {
      return [];
    },
    async putFeedback() {},
    async listFeedback(traceId) {
      return feedback.filter((item) => item.traceId === traceId);
    },
    async query(query) {
      queries.push(query);
      const selected = entries.filter((item) => query.select.by !== 'trace' || item.traceId === query.select.traceId);
      const start = Number(query.cursor ?? '0');
      const limit = query.limit ?? 50;
      const items = selected.slice(start, start + limit);
      return { items, cursor: start + limit < selected.length ? String(start + limit) : undefined };
    },
  };
}

function context(logs: LogStore | undefined): AdminContext {
  return {
    actor: 'test',
    control: undefined as never,
    vault: undefined as never,
    clock: { now: () => now },
    ...(logs === undefined ? {} : { logs }),
  };
}

function route(path: string): AdminRoute {
  const found = logRoutes.find((candidate) => candidate.path === path);
  if (found === undefined) throw new Error(path);
  return found;
}

async function call(path: string, logs: LogStore | undefined, query: string, params: Record<string, string> = {}) {
  let response: Response;
  try {
    response = await route(path).handler({ context: context(logs), params, query: new URLSearchParams(query), body: async () => undefined });
  } catch (error) {
    // The admin engine turns a thrown GatewayError into its status; here the status is enough.
    return { status: (error as { status: number }).status, json: {} };
  }
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('readLogPage', () => {
  const query = { select: { by: 'time' as const }, from: 0, to: now + 1, filters: { metadata: [] as [string, string][], status: 'error' as const } };

  it('reads only what is missing, so the index cursor never skips a record, and stops after ten reads', async () => {
    const entries = Array.from({ length: 40 }, (_, index) => entry(index, { status: index % 4 === 0 ? 500 : 200 }));
    const logs = fakeLogs(entries);
    const first = await readLogPage(logs, query, 5, undefined);
    expect(first.items.map((item) => item.traceId)).toEqual(['t0', 't4', 't8', 't12', 't16']);
    expect(logs.queries.map((item) => item.limit)).toEqual([5, 3, 3, 2, 1, 1, 1, 1]);
    expect(logs.queries.every((item) => item.omitBodies === true && item.order === 'newest-first')).toBe(true);
    const second = await readLogPage(logs, query, 5, first.cursor);
    expect(second.items[0]?.traceId).toBe('t20');
  });

  it('may answer a short page with a cursor when filters drop many records', async () => {
    const logs = fakeLogs(Array.from({ length: 100 }, (_, index) => entry(index)));
    const page = await readLogPage(logs, query, 2, undefined);
    expect(page.items).toEqual([]);
    expect(page.cursor).toBeDefined();
    expect(logs.queries).toHaveLength(10);
  });
});

describe('log cursor', () => {
  it('round-trips and refuses anything else', () => {
    expect(decodeLogCursor(encodeLogCursor({ store: 'abc', from: 1, to: 2 }))).toEqual({ store: 'abc', from: 1, to: 2 });
    expect(decodeLogCursor(encodeLogCursor({ store: 'abc', from: undefined, to: undefined }))).toEqual({ store: 'abc', from: undefined, to: undefined });
    expect(() => decodeLogCursor('not-a-cursor')).toThrow(/cursor/);
  });
});

describe('GET /v1/logs', () => {
  it('keeps the first page range in its cursor, so "the last hour" does not move', async () => {
    const logs = fakeLogs(Array.from({ length: 3 }, (_, index) => entry(index)));
    const first = await call('/v1/logs', logs, 'limit=2');
    expect(first.status).toBe(200);
    expect((first.json.data as unknown[]).length).toBe(2);
    const cursor = first.json.next_cursor as string;
    expect(decodeLogCursor(cursor)).toMatchObject({ from: now - 3_600_000, to: now });
    await call('/v1/logs', logs, `limit=2&from=2020-01-01T00:00:00Z&cursor=${cursor}`);
    expect(logs.queries[1]).toMatchObject({ from: now - 3_600_000, to: now, cursor: '2' });
  });

  it('attaches the feedback to the records of a trace query', async () => {
    const feedback: FeedbackEntry = { feedbackId: 'f1', traceId: 't1', createdAt: now, expiresAt: 0, value: 3, weight: 1, metadata: {} };
    const { json } = await call('/v1/logs', fakeLogs([entry(0), entry(1)], [feedback]), 'trace_id=t1');
    expect(json.data).toEqual([expect.objectContaining({ trace_id: 't1', feedback: [expect.objectContaining({ id: 'f1', value: 3 })] })]);
  });

  it('answers 501 without a log store and 404 for an unknown trace', async () => {
    expect((await call('/v1/logs', undefined, '')).status).toBe(501);
    expect((await call('/v1/logs/{trace_id}', fakeLogs([]), '', { trace_id: 'nope' })).status).toBe(404);
  });
});
