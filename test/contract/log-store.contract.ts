import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LogEntry, LogQuery, LogStore } from '../../shared/src/ports/log-store.ts';
import { FakeClock } from '../support/fake-clock.ts';

export type LogStoreFactory = (clock: FakeClock) => LogStore;

const HOUR = 3_600_000;

/** Every page of a query, following cursors. */
async function readAll(store: LogStore, query: LogQuery): Promise<LogEntry[]> {
  const entries: LogEntry[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const result = await store.query({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    if (query.limit !== undefined) expect(result.items.length).toBeLessThanOrEqual(query.limit);
    entries.push(...result.items);
    cursor = result.cursor;
    if (cursor === undefined) return entries;
  }
  throw new Error('the cursor never ran out');
}

/**
 * The behaviour every LogStore must have. Ids are unique per test; the "all logs" test uses
 * a time range of its own far from the others.
 */
export function describeLogStoreContract(name: string, createStore: LogStoreFactory): void {
  describe(`${name} (LogStore contract)`, () => {
    function setup() {
      const clock = new FakeClock();
      const id = randomUUID();
      const expiresAt = Math.floor(clock.now() / 1000) + 30 * 86_400;
      const entry = (n: number, createdAt: number, extra: Partial<LogEntry> = {}): LogEntry => ({
        traceId: `trace-${id}-${n}`,
        requestId: `req-${n}`,
        createdAt,
        expiresAt,
        data: { n, model: 'gpt-4o', usage: { prompt_tokens: n } },
        ...extra,
      });
      return { clock, store: createStore(clock), id, entry, start: clock.now() };
    }

    it('finds a request by trace id, with everything it was stored with', async () => {
      const { store, entry, start, id } = setup();
      const written = entry(1, start, { workspaceId: `ws-${id}`, apiKeyId: `key-${id}` });
      await store.put(written);
      await store.put(entry(1, start + 5, { requestId: 'req-again' }));
      const found = await store.query({ select: { by: 'trace', traceId: written.traceId }, order: 'oldest-first' });
      expect(found.items).toEqual([written, { ...entry(1, start + 5, { requestId: 'req-again' }) }]);
      expect(found.cursor).toBeUndefined();
    });

    it('lists a workspace over a time range, newest first by default, from inclusive and to exclusive', async () => {
      const { store, entry, start, id } = setup();
      const workspaceId = `ws-${id}`;
      for (let n = 0; n < 5; n++) await store.put(entry(n, start + n * HOUR, { workspaceId }));
      await store.put(entry(9, start + HOUR, { workspaceId: `${workspaceId}-other` }));
      const select = { by: 'workspace', workspaceId } as const;
      expect((await readAll(store, { select })).map((e) => e.data.n)).toEqual([4, 3, 2, 1, 0]);
      expect((await readAll(store, { select, from: start + HOUR, to: start + 3 * HOUR })).map((e) => e.data.n)).toEqual([2, 1]);
      expect((await readAll(store, { select, from: start + 3 * HOUR, order: 'oldest-first' })).map((e) => e.data.n)).toEqual([3, 4]);
      expect((await readAll(store, { select, to: start + HOUR + 1 })).map((e) => e.data.n)).toEqual([1, 0]);
    });

    it('lists a gateway key page by page without losing or repeating entries', async () => {
      const { store, entry, start, id } = setup();
      const apiKeyId = `key-${id}`;
      for (let n = 0; n < 7; n++) await store.put(entry(n, start + n * 1000, { apiKeyId }));
      const entries = await readAll(store, { select: { by: 'api-key', apiKeyId }, limit: 3 });
      expect(entries.map((e) => e.data.n)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    });

    it('lists all logs of a time range across days, page by page', async () => {
      const { store, entry, id } = setup();
      // A range of its own: other tests write near the clock's start.
      const dayMs = 24 * HOUR;
      const base = Date.UTC(2030, 0, 10, 22, 0, 0);
      const times = [base, base + 3 * HOUR, base + dayMs + HOUR, base + 3 * dayMs];
      for (const [n, time] of times.entries()) await store.put(entry(n, time, { workspaceId: `ws-${id}` }));
      const select = { by: 'time' } as const;
      const range = { from: base, to: base + 3 * dayMs + 1 };
      expect((await readAll(store, { select, ...range, limit: 1 })).map((e) => e.data.n)).toEqual([3, 2, 1, 0]);
      expect((await readAll(store, { select, ...range, order: 'oldest-first', limit: 2 })).map((e) => e.data.n)).toEqual([0, 1, 2, 3]);
      expect((await readAll(store, { select, from: base + HOUR, to: base + dayMs + 2 * HOUR })).map((e) => e.data.n)).toEqual([2, 1]);
      await expect(store.query({ select })).rejects.toMatchObject({ status: 400 });
    });

    it('leaves expired logs out', async () => {
      const { store, entry, start, id, clock } = setup();
      const workspaceId = `ws-${id}`;
      await store.put(entry(1, start, { workspaceId, expiresAt: Math.floor(start / 1000) + 60 }));
      await store.put(entry(2, start + 1, { workspaceId }));
      clock.current += 61_000;
      expect((await readAll(store, { select: { by: 'workspace', workspaceId } })).map((e) => e.data.n)).toEqual([2]);
      expect((await store.query({ select: { by: 'trace', traceId: entry(1, start).traceId } })).items).toEqual([]);
    });

    it('keeps the compressed bodies beside the record, and leaves them out when asked', async () => {
      const { store, entry, start, id } = setup();
      const bodies = new Uint8Array([1, 2, 3, 250]);
      const workspaceId = `ws-${id}`;
      const written = entry(1, start, { workspaceId, bodies });
      await store.put(written);
      await store.put(entry(2, start + 1, { workspaceId }));
      const select = { by: 'workspace', workspaceId } as const;
      expect((await store.query({ select, order: 'oldest-first' })).items).toEqual([written, entry(2, start + 1, { workspaceId })]);
      const light = await store.query({ select, order: 'oldest-first', omitBodies: true });
      expect(light.items.map((item) => item.bodies)).toEqual([undefined, undefined]);
      expect(light.items[0]).toEqual({ ...written, bodies: undefined });
    });

    it('writes a full batch in one call, each entry found as if it had been put alone', async () => {
      const { store, entry, start, id } = setup();
      const workspaceId = `ws-${id}`;
      const batch = Array.from({ length: store.maxBatchEntries }, (_, n) =>
        entry(n, start + n, { workspaceId, ...(n % 2 === 0 ? { apiKeyId: `key-${id}`, bodies: new Uint8Array([n, 7]) } : {}) }),
      );
      expect(store.maxBatchEntries).toBeGreaterThan(1);
      expect(await store.putBatch(batch)).toEqual([]);
      expect(await readAll(store, { select: { by: 'workspace', workspaceId }, order: 'oldest-first' })).toEqual(batch);
      expect((await store.query({ select: { by: 'trace', traceId: entry(3, start).traceId } })).items).toEqual([batch[3]]);
      expect((await readAll(store, { select: { by: 'api-key', apiKeyId: `key-${id}` } })).length).toBe(Math.ceil(batch.length / 2));
      expect(await store.putBatch([])).toEqual([]);
    });

    it('refuses a batch larger than it takes, writing none of it', async () => {
      const { store, entry, start, id } = setup();
      const workspaceId = `ws-${id}`;
      const batch = Array.from({ length: store.maxBatchEntries + 1 }, (_, n) => entry(n, start + n, { workspaceId }));
      await expect(store.putBatch(batch)).rejects.toThrow();
      expect((await store.query({ select: { by: 'workspace', workspaceId } })).items).toEqual([]);
    });

    it('stores feedback with its trace, apart from the requests of the trace', async () => {
      const { store, entry, start, id } = setup();
      const written = entry(1, start, { workspaceId: `ws-${id}` });
      await store.put(written);
      const feedback = (n: number, createdAt: number) => ({
        feedbackId: `fb-${n}`,
        traceId: written.traceId,
        createdAt,
        expiresAt: written.expiresAt,
        value: n - 5,
        weight: 0.5,
        metadata: { note: `n${n}` },
      });
      await store.putFeedback({ ...feedback(2, start + 20), workspaceId: `ws-${id}`, apiKeyId: 'key-1' });
      await store.putFeedback(feedback(1, start + 10));
      expect(await store.listFeedback(written.traceId)).toEqual([feedback(1, start + 10), { ...feedback(2, start + 20), workspaceId: `ws-${id}`, apiKeyId: 'key-1' }]);
      expect(await store.listFeedback(`${written.traceId}-none`)).toEqual([]);
      const select = { by: 'trace', traceId: written.traceId } as const;
      expect((await store.query({ select })).items).toEqual([written]);
      expect((await store.query({ select, from: start - 1 })).items).toEqual([written]);
      expect((await store.query({ select: { by: 'workspace', workspaceId: `ws-${id}` } })).items).toEqual([written]);
    });

    it('rejects a cursor from another listing', async () => {
      const { store, entry, start, id } = setup();
      for (let n = 0; n < 3; n++) await store.put(entry(n, start + n, { workspaceId: `ws-${id}` }));
      const page = await store.query({ select: { by: 'workspace', workspaceId: `ws-${id}` }, limit: 1 });
      expect(page.cursor).toBeDefined();
      const cursor = page.cursor as string;
      await expect(store.query({ select: { by: 'workspace', workspaceId: `ws-${id}-x` }, cursor })).rejects.toMatchObject({ status: 400 });
      await expect(store.query({ select: { by: 'workspace', workspaceId: `ws-${id}` }, cursor: 'garbage' })).rejects.toMatchObject({ status: 400 });
    });
  });
}
