import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import { optionsForAttempt, readMockOptions } from '../../../../shared/src/providers/mock/mock-fault-options.ts';

describe('readMockOptions', () => {
  it('reads every option from the body and strips the mock key', () => {
    const body = {
      model: 'm',
      mock: {
        status: 503,
        retry_after: 2,
        retry_after_ms: 250,
        fail_attempts: 1,
        timeout: false,
        latency_ms: 10,
        cut_after: 3,
        malformed: false,
        chunks: 4,
        chunk_delay_ms: 5,
        reply: 'ok',
      },
    };
    expect(readMockOptions(body, {})).toEqual({
      options: {
        status: 503,
        retryAfterSeconds: 2,
        retryAfterMs: 250,
        failAttempts: 1,
        timeout: false,
        latencyMs: 10,
        cutAfter: 3,
        malformed: false,
        chunks: 4,
        chunkDelayMs: 5,
        reply: 'ok',
      },
      body: { model: 'm' },
    });
  });

  it('reads metadata strings as numbers and booleans, leaving other metadata alone', () => {
    const metadata = { mock_status: '429', mock_timeout: 'true', mock_reply: '42', mock_latency_ms: '1.5', user: 'x' };
    expect(readMockOptions(undefined, metadata).options).toEqual({ status: 429, timeout: true, reply: '42', latencyMs: 1.5 });
  });

  it('keeps the body object as it is when it has no mock key', () => {
    const body = { model: 'm' };
    expect(readMockOptions(body, {}).body).toBe(body);
  });

  it('names the option in the error', () => {
    expect(() => readMockOptions({ mock: { chunk_delay_ms: -1 } }, {})).toThrow(BadRequestError);
    expect(() => readMockOptions(undefined, { mock_cut_after: 'two' })).toThrow(/metadata\.mock_cut_after must be an integer/);
  });
});

describe('optionsForAttempt', () => {
  const options = { status: 500, timeout: true, cutAfter: 1, malformed: true, failAttempts: 2, latencyMs: 5, chunks: 3 };

  it('keeps the faults below fail_attempts and drops only them afterwards', () => {
    expect(optionsForAttempt(options, 1)).toBe(options);
    expect(optionsForAttempt(options, 2)).toEqual({ failAttempts: 2, latencyMs: 5, chunks: 3 });
  });

  it('applies faults to every attempt without fail_attempts', () => {
    expect(optionsForAttempt({ status: 500 }, 7)).toEqual({ status: 500 });
  });
});
