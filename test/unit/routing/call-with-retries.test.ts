import { describe, expect, it } from 'vitest';
import { BadRequestError, UpstreamError } from '../../../shared/src/core/gateway-error.ts';
import { callWithRetries, type RetryContext } from '../../../shared/src/routing/call-with-retries.ts';
import { retryDelayMs } from '../../../shared/src/routing/retry-delay.ts';
import { FakeClock } from '../../support/fake-clock.ts';

const backoff = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

function upstream(status: number, retryAfterMs?: number): UpstreamError {
  return new UpstreamError({
    provider: 'openai',
    status,
    retryAfterMs,
    body: { error: { message: `status ${status}`, type: 'upstream_error', code: null, param: null } },
  });
}

function context(clock: FakeClock, random = () => 0.5): RetryContext {
  return { clock, random, backoff, signal: new AbortController().signal };
}

describe('retryDelayMs', () => {
  it('doubles the step each retry, with half of it jittered', () => {
    const retry = { attempts: 5 };
    expect(retryDelayMs(0, retry, undefined, backoff, () => 0)).toBe(50);
    expect(retryDelayMs(0, retry, undefined, backoff, () => 0.999_999)).toBeCloseTo(100, 3);
    expect(retryDelayMs(1, retry, undefined, backoff, () => 0)).toBe(100);
    expect(retryDelayMs(2, retry, undefined, backoff, () => 0)).toBe(200);
  });

  it('never waits longer than the ceiling', () => {
    expect(retryDelayMs(10, { attempts: 10 }, undefined, backoff, () => 0.999_999)).toBeLessThanOrEqual(1_000);
  });

  it('uses Retry-After only when the config asks for it', () => {
    expect(retryDelayMs(0, { attempts: 2, use_retry_after_header: true }, 1_234, backoff, () => 0)).toBe(1_234);
    expect(retryDelayMs(0, { attempts: 2 }, 1_234, backoff, () => 0)).toBe(50);
  });

  it('gives up instead of waiting past the Retry-After cap', () => {
    expect(retryDelayMs(0, { attempts: 2, use_retry_after_header: true }, 60_000, backoff, () => 0)).toBeUndefined();
  });
});

describe('callWithRetries', () => {
  it('makes one call when the config has no retry', async () => {
    const clock = FakeClock.instant();
    let calls = 0;
    await expect(callWithRetries(undefined, context(clock), async () => { calls++; throw upstream(503); })).rejects.toThrow('status 503');
    expect(calls).toBe(1);
  });

  it('retries a 429 until it succeeds, sleeping the backoff between tries', async () => {
    const clock = FakeClock.instant();
    const retries: number[] = [];
    const result = await callWithRetries({ attempts: 3 }, { ...context(clock), onRetry: (n) => retries.push(n) }, async (attempt) => {
      if (attempt < 2) throw upstream(429);
      return `ok after ${attempt}`;
    });
    expect(result).toBe('ok after 2');
    expect(clock.sleeps).toEqual([75, 150]);
    expect(retries).toEqual([1, 2]);
  });

  it('reports each failure a retry leaves behind, and not the one it throws', async () => {
    const clock = FakeClock.instant();
    const abandoned: number[] = [];
    const statuses = [429, 503, 500];
    const retrying = callWithRetries({ attempts: 2 }, { ...context(clock), onAbandoned: (error) => abandoned.push(error.status) }, async (attempt) => {
      throw upstream(statuses[attempt] ?? 500);
    });
    await expect(retrying).rejects.toMatchObject({ status: 500 });
    expect(abandoned).toEqual([429, 503]);
  });

  it('stops after `attempts` retries and throws the last error', async () => {
    const clock = FakeClock.instant();
    let calls = 0;
    await expect(callWithRetries({ attempts: 2 }, context(clock), async () => { calls++; throw upstream(500); })).rejects.toMatchObject({ status: 500 });
    expect(calls).toBe(3);
  });

  it('does not retry statuses outside on_status_codes', async () => {
    const clock = FakeClock.instant();
    let calls = 0;
    await expect(callWithRetries({ attempts: 3, on_status_codes: [503] }, context(clock), async () => { calls++; throw upstream(429); })).rejects.toMatchObject({ status: 429 });
    expect(calls).toBe(1);
  });

  it('does not retry gateway-side 4xx errors', async () => {
    const clock = FakeClock.instant();
    let calls = 0;
    await expect(callWithRetries({ attempts: 3, on_status_codes: [400] }, context(clock), async () => { calls++; throw new BadRequestError('bad'); })).rejects.toThrow('bad');
    // 400 is listed, so the gateway's own 400 is retried too: the list is the operator's choice.
    expect(calls).toBe(4);
  });

  it('waits exactly the Retry-After the provider sent when use_retry_after_header is set', async () => {
    const clock = new FakeClock();
    const started = clock.now();
    const pending = callWithRetries({ attempts: 1, use_retry_after_header: true }, context(clock), async (attempt) => {
      if (attempt === 0) throw upstream(429, 2_000);
      return clock.now() - started;
    });
    await clock.advance(1_999);
    let settled = false;
    void pending.then(() => { settled = true; });
    await Promise.resolve();
    expect(settled).toBe(false);
    await clock.advance(1);
    await expect(pending).resolves.toBe(2_000);
  });

  it('fails at once when Retry-After is longer than the cap', async () => {
    const clock = FakeClock.instant();
    let calls = 0;
    await expect(
      callWithRetries({ attempts: 3, use_retry_after_header: true }, context(clock), async () => { calls++; throw upstream(429, 60_000); }),
    ).rejects.toMatchObject({ status: 429 });
    expect(calls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('stops retrying when the caller goes away during the backoff', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    let calls = 0;
    const pending = callWithRetries({ attempts: 5 }, { ...context(clock), signal: controller.signal }, async () => { calls++; throw upstream(503); });
    await clock.advance(10);
    controller.abort(new Error('client gone'));
    await expect(pending).rejects.toThrow('client gone');
    expect(calls).toBe(1);
  });
});
