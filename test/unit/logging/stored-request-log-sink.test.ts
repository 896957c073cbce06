import { describe, expect, it } from 'vitest';
import { backoffDelay, retryWithBackoff } from '../../../shared/src/logging/retry-with-backoff.ts';
import { createStoredRequestLogSink } from '../../../shared/src/logging/stored-request-log-sink.ts';
import type { LogEntry } from '../../../shared/src/ports/log-store.ts';
import type { LogWriteFailure } from '../../../shared/src/ports/request-log-sink.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { requestRecord } from '../../support/request-record.ts';

const record = (traceId: string) => requestRecord({ traceId, endpoint: 'chat.completions', provider: 'mock', model: 'mock-model' });

const SECRET_CONTENT = 'the secret plan is in the body';
const detail = {
  requestBody: { messages: [{ role: 'user', content: SECRET_CONTENT }] },
  requestContentType: 'application/json',
  responseBody: undefined,
  requestHeaders: undefined,
};

interface FakeStoreOptions {
  /** @default 25 */
  maxBatchEntries?: number;
  /** The first this many calls (batch or single) throw. */
  failures?: number;
  /** Entries a batch call leaves unprocessed, decided per call (1-based). */
  unprocessed?: (entry: LogEntry, call: number) => boolean;
  /** Entries the store is too busy for: left unprocessed by a batch, a put of one throws. */
  throttled?: (entry: LogEntry) => boolean;
  /** Entries the store never takes: a batch holding one is refused whole, a put of one throws. */
  refused?: (entry: LogEntry) => boolean;
}

/** A LogStore that keeps what it takes, with throttling and refusals on demand; records every call. */
function fakeStore(options: FakeStoreOptions = {}) {
  const stored: LogEntry[] = [];
  const batches: string[][] = [];
  const puts: string[] = [];
  let calls = 0;
  const refused = options.refused ?? (() => false);
  return {
    stored,
    batches,
    puts,
    calls: () => calls,
    maxBatchEntries: options.maxBatchEntries ?? 25,
    async put(entry: LogEntry) {
      calls++;
      puts.push(entry.traceId);
      if (calls <= (options.failures ?? 0)) throw new Error(`throttled (${calls})`);
      if (refused(entry)) throw new Error(`refused ${entry.traceId}`);
      if (options.throttled?.(entry) === true) throw new Error(`throttled ${entry.traceId}`);
      stored.push(entry);
    },
    async putBatch(entries: readonly LogEntry[]) {
      calls++;
      batches.push(entries.map((entry) => entry.traceId));
      if (entries.length > (options.maxBatchEntries ?? 25)) throw new RangeError('too many');
      if (calls <= (options.failures ?? 0)) throw new Error(`throttled (${calls})`);
      if (entries.some(refused)) throw new Error('validation failed');
      const call = batches.length;
      const left = entries.filter((entry) => (options.unprocessed?.(entry, call) ?? false) || options.throttled?.(entry) === true);
      stored.push(...entries.filter((entry) => !left.includes(entry)));
      return left;
    },
  };
}

const flakyStore = (failures: number) => fakeStore({ failures });

/** Let real turns of the event loop pass (compression runs on the thread pool) until `done` holds. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let turn = 0; turn < 500 && !done(); turn++) await new Promise((resolve) => setTimeout(resolve, 1));
  if (!done()) throw new Error(`timed out waiting for ${what}`);
}

describe('retryWithBackoff', () => {
  it('doubles the delay up to the ceiling, half of it jittered', () => {
    const policy = { attempts: 6, baseDelayMs: 100, maxDelayMs: 500 };
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(policy, retry, () => 1))).toEqual([100, 200, 400, 500, 500]);
    expect([1, 2, 3].map((retry) => backoffDelay(policy, retry, () => 0))).toEqual([50, 100, 200]);
  });

  it('sleeps between tries and reports the outcome without throwing', async () => {
    const clock = FakeClock.instant();
    const failing = await retryWithBackoff(() => Promise.reject(new Error('down')), { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 }, clock, () => 1);
    expect(failing).toEqual({ ok: false, error: new Error('down'), attempts: 3 });
    expect(clock.sleeps).toEqual([10, 20]);
  });
});

describe('createStoredRequestLogSink', () => {
  it('writes after the current turn, retries a failed batch with backoff, and stores the entry once', async () => {
    const clock = new FakeClock();
    const store = flakyStore(2);
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'redacted', retentionDays: 7, random: () => 1, newRequestId: () => 'req-1' });
    sink.write(record('t1'), detail);
    expect(store.calls()).toBe(0);
    let flushed = false;
    void sink.flush().then(() => {
      flushed = true;
    });
    // Compression runs on the thread pool: let real turns pass while the fake clock moves on.
    for (let turn = 0; turn < 200 && !flushed; turn++) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await clock.advance(100);
    }
    expect(flushed).toBe(true);
    expect(clock.sleeps).toEqual([200, 400]);
    // A batch of one is a plain put.
    expect(store.batches).toEqual([]);
    expect(store.puts).toEqual(['t1', 't1', 't1']);
    expect(store.stored.map((entry) => [entry.traceId, entry.requestId])).toEqual([['t1', 'req-1']]);
    expect(sink.failedWrites).toBe(0);
  });

  it('counts and reports a write that failed every attempt, without its bodies', async () => {
    const clock = FakeClock.instant();
    const store = flakyStore(99);
    const failures: LogWriteFailure[] = [];
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'full', retentionDays: 7, onWriteFailure: (failure) => failures.push(failure), newRequestId: () => 'req-9' });
    sink.write(record('t9'), detail);
    await sink.flush();
    expect(store.calls()).toBe(5);
    expect(sink.failedWrites).toBe(1);
    expect(failures).toEqual([{ traceId: 't9', requestId: 'req-9', attempts: 5, error: 'throttled (5)' }]);
    expect(JSON.stringify(failures)).not.toContain(SECRET_CONTENT);
  });

  it('wants streams captured unless bodies are off, and never throws from write', async () => {
    const clock = FakeClock.instant();
    expect(createStoredRequestLogSink({ store: flakyStore(0), clock, bodies: 'redacted', retentionDays: 1 }).streamCaptureBytes).toBe(1_048_576);
    const off = createStoredRequestLogSink({ store: flakyStore(0), clock, bodies: 'off', retentionDays: 1, onWriteFailure: () => { throw new Error('reporter down'); } });
    expect(off.streamCaptureBytes).toBe(0);
    const broken = createStoredRequestLogSink({ store: flakyStore(99), clock, bodies: 'off', retentionDays: 1, onWriteFailure: () => { throw new Error('reporter down'); } });
    expect(() => broken.write(record('t'))).not.toThrow();
    await expect(broken.flush()).resolves.toBeUndefined();
    expect(broken.failedWrites).toBe(1);
  });

  it('writes full batches of the store\'s size at once and the rest after the delay, each record once', async () => {
    const clock = new FakeClock();
    const store = fakeStore({ maxBatchEntries: 3 });
    let next = 0;
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'redacted', retentionDays: 7, batchDelayMs: 50, newRequestId: () => `req-${++next}` });
    for (let n = 1; n <= 7; n++) sink.write(record(`t${n}`), detail);
    await until(() => store.stored.length === 6, 'the two full batches');
    // The two batches are written side by side; either may finish first.
    expect([...store.batches].sort()).toEqual([['t1', 't2', 't3'], ['t4', 't5', 't6']]);
    // The seventh waits for company, but not past the delay.
    await clock.advance(49);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.batches).toHaveLength(2);
    await clock.advance(1);
    await until(() => store.stored.length === 7, 'the last record');
    expect(store.batches).toHaveLength(2);
    expect(store.puts).toEqual(['t7']);
    expect(store.stored.map((entry) => `${entry.traceId}:${entry.requestId}`).sort()).toEqual(['t1:req-1', 't2:req-2', 't3:req-3', 't4:req-4', 't5:req-5', 't6:req-6', 't7:req-7']);
    await sink.flush();
    expect(store.calls()).toBe(3);
  });

  it('writes what is queued at once on flush, without waiting for the delay', async () => {
    const clock = new FakeClock();
    const store = fakeStore();
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'off', retentionDays: 7, batchDelayMs: 60_000 });
    sink.write(record('a'), detail);
    sink.write(record('b'), detail);
    await sink.flush();
    expect(store.batches).toEqual([['a', 'b']]);
    expect(clock.current).toBe(1_700_000_000_000);
    // A record after the flush starts a new wait, and the next flush writes it.
    sink.write(record('c'));
    await sink.flush();
    expect(store.batches).toEqual([['a', 'b']]);
    expect(store.puts).toEqual(['c']);
  });

  it('retries only the entries the store left unprocessed, with backoff', async () => {
    const clock = FakeClock.instant();
    // The first call leaves b and c unprocessed, the second c again; the third takes it.
    const store = fakeStore({ unprocessed: (entry, call) => (call === 1 && entry.traceId !== 'a') || (call === 2 && entry.traceId === 'c') });
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'off', retentionDays: 7, random: () => 1 });
    for (const traceId of ['a', 'b', 'c']) sink.write(record(traceId));
    await sink.flush();
    expect(store.batches).toEqual([['a', 'b', 'c'], ['b', 'c']]);
    expect(store.puts).toEqual(['c']);
    expect(clock.sleeps).toEqual([200, 400]);
    expect(store.stored.map((entry) => entry.traceId)).toEqual(['a', 'b', 'c']);
    expect(sink.failedWrites).toBe(0);
  });

  it('counts a record the store still left unprocessed after every attempt, and writes the others', async () => {
    const clock = FakeClock.instant();
    const store = fakeStore({ throttled: (entry) => entry.traceId === 'stuck' });
    const failures: LogWriteFailure[] = [];
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'off', retentionDays: 7, onWriteFailure: (failure) => failures.push(failure), newRequestId: () => 'req' });
    for (const traceId of ['a', 'stuck', 'b']) sink.write(record(traceId));
    await sink.flush();
    expect(store.batches).toEqual([['a', 'stuck', 'b']]);
    expect(store.puts).toEqual(['stuck', 'stuck', 'stuck', 'stuck']);
    expect(store.stored.map((entry) => entry.traceId)).toEqual(['a', 'b']);
    expect(failures).toEqual([{ traceId: 'stuck', requestId: 'req', attempts: 5, error: 'throttled stuck' }]);
    expect(sink.failedWrites).toBe(1);
  });

  it('retries a batch refused as a whole entry by entry, so one bad entry fails alone', async () => {
    const clock = FakeClock.instant();
    const store = fakeStore({ refused: (entry) => entry.traceId === 'poison' });
    const failures: LogWriteFailure[] = [];
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'full', retentionDays: 7, onWriteFailure: (failure) => failures.push(failure), newRequestId: () => 'req' });
    for (const traceId of ['a', 'poison', 'b']) sink.write(record(traceId), detail);
    await sink.flush();
    expect(store.batches).toEqual([['a', 'poison', 'b']]);
    expect(store.puts).toEqual(['a', 'poison', 'b', 'poison', 'poison', 'poison']);
    expect(store.stored.map((entry) => entry.traceId)).toEqual(['a', 'b']);
    expect(failures).toEqual([{ traceId: 'poison', requestId: 'req', attempts: 5, error: 'refused poison' }]);
    expect(JSON.stringify(failures)).not.toContain(SECRET_CONTENT);
  });

  it('drains everything on flush: queued records, batches being written and batches waiting to retry', async () => {
    const clock = new FakeClock();
    const store = fakeStore({ maxBatchEntries: 25, failures: 1 });
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'redacted', retentionDays: 7, random: () => 0 });
    for (let n = 0; n < 60; n++) sink.write(record(`t${n}`), detail);
    let flushed = false;
    void sink.flush().then(() => {
      flushed = true;
    });
    // The first batch fails once and sleeps before its retry; flush must wait for it too.
    await until(() => store.batches.length === 3, 'the three batches');
    expect(flushed).toBe(false);
    expect(store.batches.map((batch) => batch.length).sort((a, b) => a - b)).toEqual([10, 25, 25]);
    await until(() => clock.sleeps.length === 1, 'the retry to be scheduled');
    await clock.advance(100);
    await until(() => flushed, 'the flush');
    expect(new Set(store.stored.map((entry) => entry.traceId)).size).toBe(60);
    expect(store.stored).toHaveLength(60);
    expect(sink.failedWrites).toBe(0);
  });

  it('writes each record with its own put at the next turn when batching is off, as on Lambda', async () => {
    const clock = new FakeClock();
    const store = fakeStore();
    const sink = createStoredRequestLogSink({ store, clock, bodies: 'off', retentionDays: 7, batchWrites: false });
    sink.write(record('a'));
    sink.write(record('b'));
    expect(store.calls()).toBe(0);
    // No delay to wait for: the fake clock never moves.
    await until(() => store.stored.length === 2, 'both records');
    expect(store.puts.sort()).toEqual(['a', 'b']);
    expect(store.batches).toEqual([]);
  });
});
