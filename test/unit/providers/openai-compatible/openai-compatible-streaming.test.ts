import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { usageFromOpenAI } from '../../../../shared/src/core/usage.ts';
import { createOpenAICompatibleProvider } from '../../../../shared/src/providers/openai-compatible/openai-compatible-provider.ts';
import { OPENAI_COMPATIBLE_SPECS } from '../../../../shared/src/providers/openai-compatible/openai-compatible-providers.ts';
import type { ProviderModel, ProviderRequest, ProviderResponse } from '../../../../shared/src/providers/provider-model.ts';
import {
  fixtureChunks,
  fixtureText,
  providerRequest,
  sseFrames,
  ssePayloads,
  startMockUpstream,
  target,
  type MockUpstream,
  type UpstreamHandler,
} from '../../../support/mock-upstream.ts';

let upstream: MockUpstream;
beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
});

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': 'req_stream' };

function provider(id: string): ProviderModel {
  const spec = OPENAI_COMPATIBLE_SPECS.get(id);
  if (spec === undefined) throw new Error(`no spec ${id}`);
  return createOpenAICompatibleProvider(spec, { fetch: globalThis.fetch });
}

function streamRequest(extraBody: Record<string, unknown> = {}, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return providerRequest({
    body: { model: 'm', messages: [{ role: 'user', content: 'Invent a holiday.' }], stream: true, ...extraBody } as ProviderRequest['body'],
    target: target({ customHost: `${upstream.origin}/v1` }),
    ...overrides,
  });
}

function stream(response: ProviderResponse) {
  if (response.kind !== 'stream') throw new Error(`expected stream, got ${response.kind}`);
  return response;
}

/** Send SSE text in small uneven pieces, as a real network would. */
function sendSse(text: string, { end = true, splitEvery = 97 } = {}): UpstreamHandler {
  return (_request, response) => {
    response.writeHead(200, SSE_HEADERS);
    for (let offset = 0; offset < text.length; offset += splitEvery) response.write(text.slice(offset, offset + splitEvery));
    if (end) response.end();
  };
}

function isUsageOnly(payload: string): boolean {
  const chunk = JSON.parse(payload) as { choices?: unknown[]; usage?: unknown };
  return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage != null;
}

function lastUsage(payloads: readonly string[]) {
  let usage;
  for (const payload of payloads) {
    const found = usageFromOpenAI((JSON.parse(payload) as { usage?: unknown }).usage);
    if (found !== undefined) usage = found;
  }
  return usage;
}

function contentOf(payloads: readonly string[]): string {
  return payloads
    .filter((payload) => payload !== '[DONE]')
    .map((payload) => JSON.parse(payload) as { choices: Array<{ delta?: { content?: string } }> })
    .flatMap((chunk) => chunk.choices.map((choice) => choice.delta?.content ?? ''))
    .join('');
}

describe('streams replayed from recorded chunks', () => {
  const cases = [
    ['openai', 'openai/openai-text.chunks.txt', true],
    ['groq', 'groq/groq-text.chunks.txt', true],
    ['mistral-ai', 'mistral/mistral-text.chunks.txt', false],
    ['deepseek', 'deepseek/deepseek-text.chunks.txt', true],
    ['x-ai', 'openai-compatible/xai-text.chunks.txt', true],
  ] as const;

  it.each(cases)('%s: asks for usage when it can, strips the usage-only chunk, relays the rest verbatim', async (id, fixture, asksForUsage) => {
    const payloads = fixtureChunks(fixture);
    upstream.handle(sendSse(sseFrames(payloads)));
    const response = stream(await provider(id).call(streamRequest()));

    const sent = upstream.requests[0]!;
    expect(sent.headers['accept']).toBe('text/event-stream');
    const expectedBody = { model: 'm', messages: [{ role: 'user', content: 'Invent a holiday.' }], stream: true };
    expect(sent.body.toString()).toBe(
      JSON.stringify(asksForUsage ? { ...expectedBody, stream_options: { include_usage: true } } : expectedBody),
    );

    const text = await new Response(response.body).text();
    const kept = asksForUsage ? payloads.filter((payload) => !isUsageOnly(payload)) : payloads;
    expect(text).toBe(sseFrames(kept));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req_stream');
    const outcome = await response.outcome;
    expect(outcome.error).toBeUndefined();
    expect(outcome.usage).toEqual(lastUsage(payloads));
    expect(outcome.usage?.totalTokens).toBeGreaterThan(0);
  });

  it('keeps the usage chunk when the caller asked for it and leaves its stream_options alone', async () => {
    const payloads = fixtureChunks('openai/openai-text.chunks.txt');
    upstream.handle(sendSse(sseFrames(payloads)));
    const response = stream(await provider('openai').call(streamRequest({ stream_options: { include_usage: true } })));
    expect(JSON.parse(upstream.requests[0]!.body.toString()).stream_options).toEqual({ include_usage: true });
    expect(await new Response(response.body).text()).toBe(sseFrames(payloads));
    expect((await response.outcome).usage).toEqual({
      promptTokens: 16,
      completionTokens: 300,
      totalTokens: 316,
      cachedPromptTokens: 0,
      reasoningTokens: 0,
    });
  });

  it('adds include_usage beside other stream_options the caller set', async () => {
    upstream.handle(sendSse(sseFrames(fixtureChunks('openai/openai-text.chunks.txt'))));
    const response = stream(
      await provider('openai').call(streamRequest({ stream_options: { include_obfuscation: false, include_usage: false } })),
    );
    expect(JSON.parse(upstream.requests[0]!.body.toString()).stream_options).toEqual({
      include_obfuscation: false,
      include_usage: true,
    });
    const payloads = ssePayloads(await new Response(response.body).text());
    expect(payloads.some((payload) => payload !== '[DONE]' && isUsageOnly(payload))).toBe(false);
    expect((await response.outcome).usage?.totalTokens).toBe(316);
  });

  it('reassembles the same text as the non-streamed answer (x-ai)', async () => {
    upstream.handle(sendSse(sseFrames(fixtureChunks('openai-compatible/xai-text.chunks.txt')), { splitEvery: 13 }));
    const response = stream(await provider('x-ai').call(streamRequest()));
    const payloads = ssePayloads(await new Response(response.body).text());
    const nonStreamed = JSON.parse(fixtureText('openai-compatible/xai-text.json')) as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(contentOf(payloads)).toBe(nonStreamed.choices[0]!.message.content);
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('reassembles every recorded delta for each provider', async () => {
    for (const fixture of ['openai/openai-text.chunks.txt', 'groq/groq-text.chunks.txt', 'deepseek/deepseek-text.chunks.txt']) {
      upstream.handle(sendSse(sseFrames(fixtureChunks(fixture)), { splitEvery: 31 }));
      const response = stream(await provider('openai').call(streamRequest()));
      expect(contentOf(ssePayloads(await new Response(response.body).text()))).toBe(contentOf(fixtureChunks(fixture)));
    }
  });
});

describe('streams that go wrong after the first byte', () => {
  const payloads = fixtureChunks('openai/openai-text.chunks.txt');

  it('ends with an error event and no [DONE] when the connection is cut mid-stream', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.write(sseFrames(payloads.slice(0, 3), false));
      setTimeout(() => response.socket?.destroy(), 20);
    });
    const response = stream(await provider('openai').call(streamRequest()));
    const received = ssePayloads(await new Response(response.body).text());
    expect(received.slice(0, 3)).toEqual(payloads.slice(0, 3));
    expect(received).toHaveLength(4);
    expect(received).not.toContain('[DONE]');
    expect(JSON.parse(received[3]!)).toEqual({
      error: {
        message: 'The connection to openai broke before the stream was complete.',
        type: 'api_error',
        code: 'stream_truncated',
        param: null,
      },
    });
    expect(await response.outcome).toEqual({
      usage: undefined,
      error: { status: 502, message: 'The connection to openai broke before the stream was complete.' },
    });
  });

  it('ends with an error event when the provider closes without [DONE]', async () => {
    upstream.handle(sendSse(sseFrames(payloads, false)));
    const response = stream(await provider('openai').call(streamRequest()));
    const received = ssePayloads(await new Response(response.body).text());
    expect(received).not.toContain('[DONE]');
    expect(JSON.parse(received.at(-1)!).error.code).toBe('stream_truncated');
    const outcome = await response.outcome;
    expect(outcome.error?.status).toBe(502);
    // The usage chunk arrived before the cut, so it is still known (and still hidden).
    expect(outcome.usage?.totalTokens).toBe(316);
    expect(received.filter((payload) => payload.startsWith('{"id"')).every((payload) => !isUsageOnly(payload))).toBe(true);
  });

  it('relays an error event from the provider as the final event', async () => {
    const errorEvent = '{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}';
    upstream.handle(sendSse(`${sseFrames(payloads.slice(0, 2), false)}data: ${errorEvent}\n\n${sseFrames(payloads.slice(2, 4))}`));
    const response = stream(await provider('openai').call(streamRequest()));
    const received = ssePayloads(await new Response(response.body).text());
    expect(received).toHaveLength(3);
    expect(received.slice(0, 2)).toEqual(payloads.slice(0, 2));
    expect(JSON.parse(received[2]!)).toEqual(JSON.parse(errorEvent));
    expect(await response.outcome).toEqual({
      usage: undefined,
      error: { status: 502, message: 'The server had an error while processing your request.' },
    });
  });

  it('ends with invalid_upstream_response on a data line that is not JSON, forwarding nothing of it', async () => {
    upstream.handle(sendSse(`${sseFrames(payloads.slice(0, 2), false)}data: {"id":"chatcmpl-broken","choi\n\n${sseFrames(payloads.slice(2))}`));
    const response = stream(await provider('openai').call(streamRequest()));
    const received = ssePayloads(await new Response(response.body).text());
    expect(received.slice(0, 2)).toEqual(payloads.slice(0, 2));
    expect(received).toHaveLength(3);
    expect(JSON.parse(received[2]!).error.code).toBe('invalid_upstream_response');
    expect((await response.outcome).error?.status).toBe(502);
  });

  it('cancels the upstream request when the caller cancels the stream', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.write(sseFrames(payloads.slice(0, 2), false));
      // ...and then nothing more: only the caller's cancel can end this.
    });
    const response = stream(await provider('openai').call(streamRequest()));
    const reader = response.body.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain(payloads[0]!);
    await reader.cancel(new Error('client went away'));
    expect(await upstream.responseClosed(0)).toEqual({ finished: false });
    expect((await response.outcome).error?.status).toBe(499);
  });

  it('emits each event as soon as it arrives, before the provider sends the next', async () => {
    let sendNext: () => void = () => {};
    upstream.handle((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.write(sseFrames(payloads.slice(0, 1), false));
      sendNext = () => response.end(sseFrames(payloads.slice(1, 2)));
    });
    const response = stream(await provider('openai').call(streamRequest({ stream_options: { include_usage: true } })));
    const reader = response.body.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe(sseFrames(payloads.slice(0, 1), false));
    sendNext();
    let rest = '';
    for (let part = await reader.read(); !part.done; part = await reader.read()) rest += new TextDecoder().decode(part.value);
    expect(rest).toBe(sseFrames(payloads.slice(1, 2)));
  });
});
