import { describe, expect, it } from 'vitest';
import { streamChatCompletionChunks } from '../../../../shared/src/protocol/chat-chunk-stream.ts';
import { readSseEvents } from '../../../../shared/src/protocol/sse-event-source.ts';
import type { AnthropicMessageResponse } from '../../../../shared/src/providers/anthropic/anthropic-api-types.ts';
import { createAnthropicStreamTransformer } from '../../../../shared/src/providers/anthropic/anthropic-stream-transformer.ts';
import { mapAnthropicResponse } from '../../../../shared/src/providers/anthropic/map-anthropic-response.ts';
import { fixtureChunks, ssePayloads } from '../../../support/mock-upstream.ts';
import { anthropicSse, nativeMessageFromStream, reassemble } from './anthropic-sse.ts';

const CREATED = 1_700_000_000;

function bytes(text: string): ReadableStream<Uint8Array> {
  return new Response(text).body as ReadableStream<Uint8Array>;
}

async function run(payloads: readonly string[], { jsonToolName, includeUsage = true }: { jsonToolName?: string; includeUsage?: boolean } = {}) {
  const { body, outcome } = streamChatCompletionChunks(
    readSseEvents(bytes(anthropicSse(payloads))),
    createAnthropicStreamTransformer({ created: CREATED, jsonToolName }),
    { provider: 'anthropic', includeUsage },
  );
  const text = await new Response(body).text();
  return { payloads: ssePayloads(text), outcome: await outcome };
}

function chunksOf(name: string): string[] {
  return fixtureChunks(`anthropic/${name}`);
}

function parsed(payloads: readonly string[]) {
  return payloads
    .filter((payload) => payload !== '[DONE]')
    .map((payload) => JSON.parse(payload) as Record<string, unknown>)
    .filter((payload) => payload.error === undefined);
}

describe('the Anthropic stream transformer', () => {
  it.each([
    ['anthropic-text.chunks.txt', undefined],
    ['anthropic-tool-no-args.chunks.txt', undefined],
    ['anthropic-json-tool.1.chunks.txt', 'json'],
    ['anthropic-clear-thinking.1.chunks.txt', undefined],
    ['anthropic-refusal.chunks.txt', undefined],
    ['anthropic-message-delta-input-tokens.chunks.txt', undefined],
    ['duplicate-message-start.chunks.txt', undefined],
    ['written/tool-calls-parallel.chunks.txt', undefined],
  ])('turns %s into OpenAI chunks (whole-stream snapshot)', async (name, jsonToolName) => {
    const { payloads, outcome } = await run(chunksOf(name), { jsonToolName });
    expect(payloads).toMatchSnapshot();
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(outcome.error).toBeUndefined();
    // One id, one created, one model on every chunk.
    const chunks = parsed(payloads);
    expect(new Set(chunks.map((chunk) => `${String(chunk.id)} ${String(chunk.created)} ${String(chunk.model)}`)).size).toBe(1);
  });

  it.each([
    ['anthropic-text.chunks.txt', undefined],
    ['anthropic-tool-no-args.chunks.txt', undefined],
    ['anthropic-json-tool.1.chunks.txt', 'json'],
    ['anthropic-clear-thinking.1.chunks.txt', undefined],
    ['written/tool-calls-parallel.chunks.txt', undefined],
  ])('reassembles %s to what the same answer gives unstreamed', async (name, jsonToolName) => {
    const chunks = chunksOf(name);
    const { payloads, outcome } = await run(chunks, { jsonToolName });
    const streamed = reassemble(payloads);
    const whole = mapAnthropicResponse(nativeMessageFromStream(chunks) as AnthropicMessageResponse, { created: CREATED, jsonToolName });
    const message = whole.completion.choices[0]?.message;
    // Streamed JSON keeps Anthropic's own spacing; unstreamed JSON is re-serialised from the
    // parsed input, so JSON (JSON-mode content, tool arguments) is compared by value.
    if (jsonToolName === undefined) expect(streamed.content).toBe(message?.content ?? '');
    else expect(JSON.parse(streamed.content)).toEqual(JSON.parse(message?.content ?? ''));
    expect(streamed.reasoning).toBe(message?.reasoning_content ?? '');
    expect(streamed.toolArguments.map((text) => JSON.parse(text) as unknown)).toEqual(
      (message?.tool_calls ?? []).map((call) => JSON.parse(call.function.arguments) as unknown),
    );
    expect(outcome.usage).toEqual(whole.usage);
    const finish = parsed(payloads).find((chunk) => (chunk.choices as Array<{ finish_reason: string | null }>)[0]?.finish_reason != null);
    expect((finish?.choices as Array<{ finish_reason: string }>)[0]?.finish_reason).toBe(whole.completion.choices[0]?.finish_reason);
  });

  it('takes input_tokens from message_delta when Anthropic revises it there', async () => {
    const { outcome } = await run(chunksOf('anthropic-message-delta-input-tokens.chunks.txt'));
    expect(outcome.usage).toEqual({ promptTokens: 61, completionTokens: 2, totalTokens: 63, cachedPromptTokens: 0 });
  });

  it('sends the usage chunk only to callers who asked, but always records usage', async () => {
    const { payloads, outcome } = await run(chunksOf('anthropic-text.chunks.txt'), { includeUsage: false });
    expect(parsed(payloads).some((chunk) => (chunk.choices as unknown[]).length === 0)).toBe(false);
    expect(outcome.usage).toEqual({ promptTokens: 12, completionTokens: 30, totalTokens: 42, cachedPromptTokens: 0 });
  });

  it('ignores a repeated message_start for the open message', async () => {
    const { payloads } = await run(chunksOf('duplicate-message-start.chunks.txt'));
    expect(reassemble(payloads).content).toBe('Hello, World!');
    expect(parsed(payloads).filter((chunk) => (chunk.choices as Array<{ delta: { role?: string } }>)[0]?.delta.role === 'assistant')).toHaveLength(1);
  });

  it('ends a stream with two spliced messages with an error event instead of mixing them', async () => {
    const { payloads, outcome } = await run(chunksOf('spliced-message-start.chunks.txt'));
    expect(payloads).toMatchSnapshot();
    expect(payloads).not.toContain('[DONE]');
    expect(JSON.parse(payloads.at(-1) ?? '')).toEqual({
      error: {
        message: 'anthropic started a second message (msg_second) inside the stream of msg_first.',
        type: 'api_error',
        code: 'invalid_upstream_response',
        param: null,
      },
    });
    expect(outcome.error?.status).toBe(502);
    expect(parsed(payloads).every((chunk) => chunk.id === 'msg_first')).toBe(true);
  });

  it('ends the stream with the error of a mid-stream error event, keeping its status', async () => {
    const { payloads, outcome } = await run(chunksOf('written/stream-error-overloaded.chunks.txt'));
    expect(reassemble(payloads).content).toBe('Hello! I');
    expect(JSON.parse(payloads.at(-1) ?? '')).toEqual({ error: { message: 'Overloaded', type: 'overloaded_error', code: null, param: null } });
    expect(outcome.error).toEqual({ status: 529, message: 'Overloaded' });
  });

  it('reports a stream cut before message_stop as truncated', async () => {
    const { payloads, outcome } = await run(chunksOf('anthropic-text.chunks.txt').slice(0, 5));
    expect(payloads).not.toContain('[DONE]');
    expect(outcome.error?.status).toBe(502);
  });

  it('skips unknown events and fields, and fails on content before message_start', async () => {
    const chunks = chunksOf('anthropic-text.chunks.txt');
    const withExtras = [chunks[0] ?? '', '{"type":"some_future_event","x":1}', ...chunks.slice(1)];
    const { payloads } = await run(withExtras);
    expect(reassemble(payloads).content).toBe(reassemble((await run(chunks)).payloads).content);

    const { outcome } = await run(chunks.slice(1));
    expect(outcome.error?.status).toBe(502);
  });
});
