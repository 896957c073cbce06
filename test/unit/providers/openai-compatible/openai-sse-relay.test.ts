import { describe, expect, it, vi } from 'vitest';
import { RequestTimeoutError } from '../../../../shared/src/core/gateway-error.ts';
import { relayOpenAISse } from '../../../../shared/src/providers/openai-compatible/openai-sse-relay.ts';

const encoder = new TextEncoder();

const CHUNK_A = '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"}}]}';
const CHUNK_B = '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}';
const USAGE_ONLY = '{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}';

/** An upstream body that hands out the given pieces one pull at a time and counts pulls. */
function upstreamOf(pieces: readonly string[], { end = true } = {}) {
  const state = { pulls: 0, cancelled: undefined as unknown };
  let index = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        state.pulls++;
        const piece = pieces[index++];
        if (piece !== undefined) controller.enqueue(encoder.encode(piece));
        else if (end) controller.close();
      },
      cancel(reason) {
        state.cancelled = reason ?? 'cancelled';
      },
    },
    { highWaterMark: 0 },
  );
  return { body, state };
}

function framed(...payloads: string[]): string {
  return payloads.map((payload) => `data: ${payload}\n\n`).join('');
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('relayOpenAISse', () => {
  it('produces the same bytes however the upstream splits them, down to single characters', async () => {
    const text = `${framed(CHUNK_A, CHUNK_B, USAGE_ONLY)}data: [DONE]\n\n`;
    const { body } = upstreamOf([...text]);
    const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true });
    expect(await readAll(relay.body)).toBe(`${framed(CHUNK_A, CHUNK_B)}data: [DONE]\n\n`);
    expect(await relay.outcome).toEqual({
      usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 },
      error: undefined,
    });
  });

  it('accepts a final [DONE] without its blank line when the upstream ends cleanly', async () => {
    const { body } = upstreamOf([`${framed(CHUNK_A)}data: [DONE]\n`]);
    const relay = relayOpenAISse(body, { provider: 'ollama', stripUsageOnlyChunk: false });
    expect(await readAll(relay.body)).toBe(`${framed(CHUNK_A)}data: [DONE]\n\n`);
    expect((await relay.outcome).error).toBeUndefined();
  });

  it('reports stream_truncated when a clean end comes before [DONE]', async () => {
    const { body } = upstreamOf([framed(CHUNK_A)]);
    const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true });
    const text = await readAll(relay.body);
    expect(text.startsWith(framed(CHUNK_A))).toBe(true);
    expect(text).toContain('"code":"stream_truncated"');
    expect(text).not.toContain('[DONE]');
    expect(await relay.outcome).toEqual({
      usage: undefined,
      error: { status: 502, message: 'The stream from openai ended before it was complete.' },
    });
  });

  it('keeps the usage-only chunk when told not to strip it, and a choices-less chunk without usage always', async () => {
    const filterOnly = '{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[]}';
    const { body } = upstreamOf([`${framed(filterOnly, CHUNK_A, USAGE_ONLY)}data: [DONE]\n\n`]);
    const relay = relayOpenAISse(body, { provider: 'azure-openai', stripUsageOnlyChunk: false });
    expect(await readAll(relay.body)).toBe(`${framed(filterOnly, CHUNK_A, USAGE_ONLY)}data: [DONE]\n\n`);
    expect((await relay.outcome).usage?.totalTokens).toBe(7);
  });

  it('ignores comments, keep-alive blank data and event names, and joins multi-line data into one line', async () => {
    const text = `: ping\n\ndata:\n\nevent: message\ndata: {"id":"c1",\ndata: "choices":[]}\n\n${framed(CHUNK_A)}data: [DONE]\n\n`;
    const { body } = upstreamOf([text]);
    const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true });
    expect(await readAll(relay.body)).toBe(`${framed('{"id":"c1","choices":[]}', CHUNK_A)}data: [DONE]\n\n`);
  });

  it('ends at [DONE], ignoring anything after it, and cancels an upstream that does not end within a second', async () => {
    vi.useFakeTimers();
    try {
      const { body, state } = upstreamOf([`${framed(CHUNK_A)}data: [DONE]\n\n${framed(CHUNK_B)}`], { end: false });
      const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true });
      expect(await readAll(relay.body)).toBe(`${framed(CHUNK_A)}data: [DONE]\n\n`);
      await vi.advanceTimersByTimeAsync(999);
      expect(state.cancelled).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(state.cancelled).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('closes the caller stream at [DONE] and reads the upstream to its end, so its connection can be reused', async () => {
    let endUpstream: () => void = () => undefined;
    const state = { cancelled: false, ended: false };
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`${framed(CHUNK_A)}data: [DONE]\n\n`));
        endUpstream = () => {
          state.ended = true;
          controller.close();
        };
      },
      cancel() {
        state.cancelled = true;
      },
    });
    const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true });
    // The caller has the whole answer while the upstream is still open.
    expect(await readAll(relay.body)).toBe(`${framed(CHUNK_A)}data: [DONE]\n\n`);
    expect(await relay.outcome).toEqual({ usage: undefined, error: undefined });
    endUpstream();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(state).toEqual({ cancelled: false, ended: true });
  });

  it('cancels the upstream when more than 64 KB follow [DONE]', async () => {
    const { body, state } = upstreamOf([`${framed(CHUNK_A)}data: [DONE]\n\n`, 'x'.repeat(40_000), 'x'.repeat(40_000), 'x'], { end: false });
    const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true });
    expect(await readAll(relay.body)).toBe(`${framed(CHUNK_A)}data: [DONE]\n\n`);
    await vi.waitFor(() => expect(state.cancelled).toBeDefined());
    expect(state.pulls).toBe(3);
  });

  it('reads the upstream only as fast as the caller reads', async () => {
    const { body, state } = upstreamOf([framed(CHUNK_A), framed(CHUNK_B), 'data: [DONE]\n\n']);
    const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(state.pulls).toBe(0);
    const reader = relay.body.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(framed(CHUNK_A));
    expect(state.pulls).toBe(1);
  });

  it('ends with the upstream error on an `event: error` whose data is plain text', async () => {
    const { body } = upstreamOf([`${framed(CHUNK_A)}event: error\ndata: overloaded, try later\n\n`]);
    const relay = relayOpenAISse(body, { provider: 'together-ai', stripUsageOnlyChunk: true });
    expect(await readAll(relay.body)).toBe(
      `${framed(CHUNK_A)}data: {"error":{"message":"overloaded, try later","type":"upstream_error","code":null,"param":null}}\n\n`,
    );
    expect((await relay.outcome).error).toEqual({ status: 502, message: 'overloaded, try later' });
  });

  it("keeps a numeric status carried by a provider's error event", async () => {
    const { body } = upstreamOf([framed('{"error":{"message":"Rate limited","type":"rate_limit","code":429}}')]);
    const relay = relayOpenAISse(body, { provider: 'openrouter', stripUsageOnlyChunk: true });
    await readAll(relay.body);
    expect((await relay.outcome).error).toEqual({ status: 429, message: 'Rate limited' });
  });

  it('reports the engine timeout, not a broken connection, when the signal aborted the read', async () => {
    const controller = new AbortController();
    const timeout = new RequestTimeoutError(1000);
    let step = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(streamController) {
        if (step++ === 0) streamController.enqueue(encoder.encode(framed(CHUNK_A)));
        else {
          controller.abort(timeout);
          streamController.error(new DOMException('aborted', 'AbortError'));
        }
      },
    });
    const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true, signal: controller.signal });
    const text = await readAll(relay.body);
    expect(text).toBe(`${framed(CHUNK_A)}data: ${JSON.stringify(timeout.toOpenAIError())}\n\n`);
    expect((await relay.outcome).error?.status).toBe(408);
  });

  it('settles the outcome with usage seen so far when the caller cancels', async () => {
    const { body, state } = upstreamOf([framed(USAGE_ONLY), framed(CHUNK_A)], { end: false });
    const relay = relayOpenAISse(body, { provider: 'openai', stripUsageOnlyChunk: true });
    const reader = relay.body.getReader();
    await reader.read();
    await reader.cancel('bye');
    expect(state.cancelled).toBe('bye');
    expect(await relay.outcome).toEqual({
      usage: { promptTokens: 5, completionTokens: 2, totalTokens: 7 },
      error: { status: 499, message: 'The caller closed the stream before it ended.' },
    });
  });
});
