import { describe, expect, it } from 'vitest';
import { backoffDelay, retryWithBackoff } from '../../../shared/src/logging/retry-with-backoff.ts';
import { createStoredRequestLogSink } from '../../../shared/src/logging/stored-request-log-sink.ts';
import type { LogEntry } from '../../../shared/src/ports/log-store.ts';
import type { LogWriteFailure, RequestRecord } from '../../../shared/src/ports/request-log-sink.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const record = (traceId: string): RequestRecord => ({
  traceId,
  method: 'POST',
  path: '/v1/chat/completions',
  endpoint: 'chat.completions',
  provider: 'mock',
  model: 'mock-model',
  status: 200,
  stream: false,
  startedAt: 1_700_000_000_000,
  latencyMs: 5,
  firstByteMs: 4,
  retryAttempts: 0,
  lastUsedOptionIndex: undefined,
  usage: undefined,
  errorCode: undefined,
  errorMessage: undefined,
  metadata: {},
});

const SECRET_CONTENT = 'the secret plan is in the body';
const detail = {
  requestBody: { messages: [{ role: 'user', content: SECRET_CONTENT }] },
  requestContentType: 'application/json',
  responseBody: undefined,
  requestHeaders: undefined,
};

/** A store whose first `failures` puts throw. */
function flakyStore(failures: number) {
  const stored: LogEntry[] = [];
  let calls = 0;
  return {
    stored,
    calls: () => calls,
    async put(entry: LogEntry) {
      calls++;
      if (calls <= failures) throw new Error(`throttled (${calls})`);
      stored.push(entry);
    },
  };
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
  it('writes after the current turn, retries a failed put with backoff, and stores the entry once', async () => {
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
});
