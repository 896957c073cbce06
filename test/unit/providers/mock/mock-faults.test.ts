import { describe, expect, it } from 'vitest';
import {
  BadGatewayError,
  BadRequestError,
  RequestTimeoutError,
  UpstreamError,
} from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import {
  chatRequest,
  complete,
  failure,
  jsonOf,
  mockProvider,
  readText,
  settle,
  sseData,
  START_MS,
  streamed,
  userSays,
} from './mock-provider-harness.ts';

function withMock(mock: JsonObject, extra: JsonObject = {}): JsonObject {
  return { ...userSays('fault please'), ...extra, mock };
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>): { settled: () => boolean; promise: Promise<T> } {
  let settled = false;
  const tracked = promise.finally(() => {
    settled = true;
  });
  tracked.catch(() => {});
  return { settled: () => settled, promise: tracked };
}

describe('injected status faults', () => {
  it('answers the asked status as an UpstreamError carrying Retry-After', async () => {
    const error = await failure(mockProvider().call(chatRequest(withMock({ status: 429, retry_after: 2 }))));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({
      status: 429,
      type: 'rate_limit_error',
      code: 'mock_injected_fault',
      provider: 'mock',
      retryable: true,
      retryAfterMs: 2000,
      headers: { 'retry-after': '2' },
    });
    expect((error as UpstreamError).message).toMatch(/injected fault/);
  });

  it('passes retry-after-ms on, which wins over retry-after', async () => {
    const error = await failure(
      mockProvider().call(chatRequest(withMock({ status: 503, retry_after: 9, retry_after_ms: 1500 }))),
    );
    expect(error).toMatchObject({ status: 503, type: 'server_error', retryAfterMs: 1500 });
  });

  it('takes faults from mock_ metadata keys', async () => {
    const request = chatRequest(userSays('hi'), { metadata: { mock_status: '503', mock_retry_after: '1', team: 'a' } });
    const error = await failure(mockProvider().call(request));
    expect(error).toMatchObject({ status: 503, retryAfterMs: 1000 });
  });

  it('lets options in the body win over metadata ones', async () => {
    const request = chatRequest(withMock({ status: 400 }), { metadata: { mock_status: '503' } });
    expect(await failure(mockProvider().call(request))).toMatchObject({ status: 400, retryable: false });
  });

  it('fails only the attempts below fail_attempts, so a retry then succeeds', async () => {
    const provider = mockProvider();
    const body = withMock({ status: 500, fail_attempts: 2 });
    expect(await failure(provider.call(chatRequest(body, { attempt: 0 })))).toMatchObject({ status: 500 });
    expect(await failure(provider.call(chatRequest(body, { attempt: 1 })))).toMatchObject({ status: 500 });
    const answer = jsonOf(await provider.call(chatRequest(body, { attempt: 2 })));
    expect(answer.object).toBe('chat.completion');
  });
});

describe('injected timing faults', () => {
  it('never answers with timeout until the signal aborts, then rejects with its reason', async () => {
    const controller = new AbortController();
    const call = track(mockProvider().call(chatRequest(withMock({ timeout: true }), { signal: controller.signal })));
    await settle();
    expect(call.settled()).toBe(false);
    const reason = new RequestTimeoutError(250);
    controller.abort(reason);
    expect(await failure(call.promise)).toBe(reason);
  });

  it('waits latency_ms on the clock before answering', async () => {
    const clock = new FakeClock(START_MS);
    const call = track(mockProvider(clock).call(chatRequest(withMock({ latency_ms: 5000 }))));
    await settle();
    expect(call.settled()).toBe(false);
    expect(clock.sleeps).toEqual([5000]);
    await clock.advance(5000);
    const answer = jsonOf(await call.promise);
    // The answer is made after the wait, so `created` is five seconds later.
    expect(answer.created).toBe(START_MS / 1000 + 5);
  });

  it('spaces streamed content chunks by chunk_delay_ms on the clock', async () => {
    const clock = FakeClock.instant();
    const response = streamed(
      await mockProvider(clock).call(chatRequest(withMock({ chunk_delay_ms: 40, chunks: 4 }, { stream: true }))),
    );
    await readText(response.body);
    expect(clock.sleeps).toEqual([40, 40, 40]);
  });
});

describe('injected broken answers', () => {
  it('cut_after drops a stream after N content chunks: an error event ends it, never [DONE]', async () => {
    const response = streamed(await mockProvider().call(chatRequest(withMock({ cut_after: 2 }, { stream: true }))));
    const events = sseData(await readText(response.body));
    const parsed = events.map((data) => JSON.parse(data) as JsonObject);

    expect(events).not.toContain('[DONE]');
    // Role chunk, two content chunks, then the relay's error event.
    expect(parsed).toHaveLength(4);
    expect(parsed.at(-1)).toMatchObject({ error: { code: 'stream_truncated' } });
    await expect(response.outcome).resolves.toMatchObject({ error: { status: 502 } });
  });

  it('cut_after truncates a whole answer, which the gateway reports as a bad gateway', async () => {
    const error = await failure(mockProvider().call(chatRequest(withMock({ cut_after: 1 }))));
    expect(error).toBeInstanceOf(BadGatewayError);
    expect(error).toMatchObject({ status: 502, code: 'invalid_upstream_response' });
  });

  it('malformed answers a whole body that is not JSON: a bad gateway', async () => {
    const error = await failure(mockProvider().call(chatRequest(withMock({ malformed: true }))));
    expect(error).toBeInstanceOf(BadGatewayError);
  });

  it('malformed puts a non-JSON line in a stream: an error event ends it', async () => {
    const response = streamed(await mockProvider().call(chatRequest(withMock({ malformed: true }, { stream: true }))));
    const events = sseData(await readText(response.body));
    expect(events).not.toContain('[DONE]');
    expect(JSON.parse(events.at(-1) as string)).toMatchObject({ error: { code: 'invalid_upstream_response' } });
    await expect(response.outcome).resolves.toMatchObject({ error: { status: 502 } });
  });

  it('faults stop applying once fail_attempts is reached, for broken streams too', async () => {
    const body = withMock({ cut_after: 0, fail_attempts: 1 }, { stream: true });
    const response = streamed(await mockProvider().call(chatRequest(body, { attempt: 1 })));
    expect(sseData(await readText(response.body)).at(-1)).toBe('[DONE]');
  });

  it('an abort mid-stream ends the stream with the abort reason as an error event', async () => {
    const clock = new FakeClock(START_MS);
    const controller = new AbortController();
    const body = withMock({ chunk_delay_ms: 1000 }, { stream: true });
    const response = streamed(await mockProvider(clock).call(chatRequest(body, { signal: controller.signal })));
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    text += decoder.decode((await reader.read()).value);
    const next = reader.read();
    await settle();
    controller.abort(new RequestTimeoutError(1500));
    for (let result = await next; !result.done; result = await reader.read()) text += decoder.decode(result.value);
    expect(JSON.parse(sseData(text).at(-1) as string)).toMatchObject({ error: { code: 'request_timeout' } });
    await expect(response.outcome).resolves.toMatchObject({ error: { status: 408 } });
  });
});

describe('cancelling a mock stream', () => {
  it('stops production: the pending chunk delay is abandoned and nothing more is made', async () => {
    const clock = new FakeClock(START_MS);
    const sleepSignals: AbortSignal[] = [];
    const sleep = clock.sleep.bind(clock);
    clock.sleep = (ms, signal) => {
      if (signal !== undefined) sleepSignals.push(signal);
      return sleep(ms, signal);
    };
    const response = streamed(
      await mockProvider(clock).call(chatRequest(withMock({ chunk_delay_ms: 1000 }, { stream: true }))),
    );
    const reader = response.body.getReader();
    await reader.read();
    await reader.read();
    const pending = reader.read();
    await settle();
    expect(clock.sleeps).toEqual([1000]);

    await reader.cancel('caller left');
    await pending;
    await settle();
    expect(sleepSignals[0]?.aborted).toBe(true);
    await clock.advance(60_000);
    expect(clock.sleeps).toEqual([1000]);
    await expect(response.outcome).resolves.toMatchObject({ error: { status: 499 } });
  });
});

describe('mock option validation', () => {
  it.each([
    [{ status: '429' }, 'mock.status'],
    [{ status: 200 }, 'mock.status'],
    [{ retry_after: 1.5 }, 'mock.retry_after'],
    [{ fail_attempts: -1 }, 'mock.fail_attempts'],
    [{ timeout: 'yes' }, 'mock.timeout'],
    [{ latency_ms: 'slow' }, 'mock.latency_ms'],
    [{ chunks: 0 }, 'mock.chunks'],
    [{ reply: 42 }, 'mock.reply'],
    [{ statuz: 500 }, 'mock.statuz'],
  ])('refuses %j with a 400 naming %s', async (mock, param) => {
    const error = await failure(mockProvider().call(chatRequest(withMock(mock))));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_mock_option', param });
  });

  it('refuses a mock value that is not an object', async () => {
    const error = await failure(mockProvider().call(chatRequest({ ...userSays('hi'), mock: 5 })));
    expect(error).toMatchObject({ status: 400, param: 'mock' });
  });

  it('refuses a metadata option of the wrong type, naming the metadata key', async () => {
    const error = await failure(mockProvider().call(chatRequest(userSays('hi'), { metadata: { mock_timeout: 'maybe' } })));
    expect(error).toMatchObject({ status: 400, param: 'metadata.mock_timeout' });
  });

  it('removes the mock key before the body reaches the mock server', async () => {
    const provider = mockProvider();
    const plain = complete(await provider.call(chatRequest(userSays('same'))));
    const withOptions = complete(await provider.call(chatRequest({ ...userSays('same'), mock: { chunks: 2 } })));
    expect(withOptions.body).toEqual(plain.body);
  });
});
