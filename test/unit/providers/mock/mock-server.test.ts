import { describe, expect, it } from 'vitest';
import { createMockServerFetch, MOCK_BASE_URL } from '../../../../shared/src/providers/mock/mock-server.ts';
import type { MockOptions } from '../../../../shared/src/providers/mock/mock-fault-options.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { failure, sseData, START_MS } from './mock-provider-harness.ts';

const chatBody = JSON.stringify({
  model: 'mock-model',
  stream: true,
  messages: [{ role: 'user', content: 'one two three' }],
});

function post(options: MockOptions, clock = FakeClock.instant(), signal?: AbortSignal) {
  const fetch = createMockServerFetch({ clock }, options);
  return fetch(`${MOCK_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: chatBody,
    ...(signal === undefined ? {} : { signal }),
  });
}

async function readEvent(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const result = await reader.read();
  if (result.done) throw new Error('stream ended');
  return new TextDecoder().decode(result.value);
}

describe('mock server fetch', () => {
  it('produces stream events only as they are read (no read-ahead)', async () => {
    const clock = FakeClock.instant();
    const response = await post({ chunkDelayMs: 10 }, clock);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await new Promise((resolve) => setImmediate(resolve));
    expect(clock.sleeps).toEqual([]);
    await readEvent(reader);
    await readEvent(reader);
    await readEvent(reader);
    // Role chunk, first content chunk, then one delay before the second content chunk.
    expect(clock.sleeps).toEqual([10]);
    await reader.cancel();
  });

  it('errors the body like a dropped connection for cut_after', async () => {
    const response = await post({ cutAfter: 1 });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await readEvent(reader);
    await readEvent(reader);
    const error = await failure(reader.read());
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe('terminated');
  });

  it('puts the malformed line right after the first event', async () => {
    const text = await (await post({ malformed: true })).text();
    const events = sseData(text);
    expect(() => JSON.parse(events[0] as string) as unknown).not.toThrow();
    expect(events[1]).toMatch(/^this is not JSON/);
  });

  it('rejects at once when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    expect(await failure(post({}, FakeClock.instant(), controller.signal))).toMatchObject({ message: 'gone' });
  });

  it('cuts a whole JSON answer in half for cut_after', async () => {
    const fetch = createMockServerFetch({ clock: new FakeClock(START_MS) }, { cutAfter: 3 });
    const init = { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) };
    const whole = await (await createMockServerFetch({ clock: new FakeClock(START_MS) }, {})(`${MOCK_BASE_URL}/chat/completions`, init)).text();
    const cut = await (await fetch(`${MOCK_BASE_URL}/chat/completions`, init)).text();
    expect(cut).toBe(whole.slice(0, Math.floor(whole.length / 2)));
  });

  it('answers a body that is not JSON with an OpenAI-shaped 400', async () => {
    const fetch = createMockServerFetch({ clock: FakeClock.instant() }, {});
    const response = await fetch(`${MOCK_BASE_URL}/embeddings`, { method: 'POST', body: '{nope' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json' } });
  });
});
