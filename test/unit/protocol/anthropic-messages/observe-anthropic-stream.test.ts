import { describe, expect, it } from 'vitest';
import { observeAnthropicStream } from '../../../../shared/src/protocol/anthropic-messages/observe-anthropic-stream.ts';
import { mergeAnthropicUsageCounts, usageFromAnthropicCounts } from '../../../../shared/src/protocol/anthropic-messages/read-anthropic-usage.ts';
import { fixtureChunks } from '../../../support/mock-upstream.ts';

const encoder = new TextEncoder();

function framed(lines: string[]): string[] {
  return lines.map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`);
}

function source(pieces: string[], end: 'close' | 'hang' | Error = 'close') {
  let cancelled = false;
  const queue = [...pieces];
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const next = queue.shift();
        if (next !== undefined) controller.enqueue(encoder.encode(next));
        else if (end === 'close') controller.close();
        else if (end instanceof Error) controller.error(end);
        else return new Promise<void>(() => undefined);
        return undefined;
      },
      cancel() {
        cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, cancelled: () => cancelled };
}

const textStream = framed(fixtureChunks('anthropic/anthropic-text.chunks.txt'));

describe('observeAnthropicStream', () => {
  it('relays the bytes unchanged and reads usage from message_start and message_delta', async () => {
    // Split mid-event, as a network would.
    const whole = textStream.join('');
    const pieces = [whole.slice(0, 100), whole.slice(100, 777), whole.slice(777)];
    const { body, outcome } = observeAnthropicStream(source(pieces).stream, { provider: 'anthropic' });
    expect(await new Response(body).text()).toBe(whole);
    const delta = JSON.parse(fixtureChunks('anthropic/anthropic-text.chunks.txt').at(-2) ?? '{}') as { usage: { output_tokens: number } };
    await expect(outcome).resolves.toEqual({
      usage: { promptTokens: 12, completionTokens: delta.usage.output_tokens, totalTokens: 12 + delta.usage.output_tokens, cachedPromptTokens: 0 },
      error: undefined,
    });
  });

  it('records an error event from Anthropic and passes it on unchanged', async () => {
    const error = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    const { body, outcome } = observeAnthropicStream(source([...textStream.slice(0, 3), error]).stream, { provider: 'anthropic' });
    expect(await new Response(body).text()).toBe([...textStream.slice(0, 3), error].join(''));
    await expect(outcome).resolves.toMatchObject({ usage: { promptTokens: 12 }, error: { status: 502, message: 'Overloaded' } });
  });

  it('appends an error event when the stream ends before message_stop, closing a half-sent event first', async () => {
    const cut = textStream[3]?.slice(0, 20) ?? '';
    const { body, outcome } = observeAnthropicStream(source([...textStream.slice(0, 3), cut]).stream, { provider: 'anthropic' });
    const text = await new Response(body).text();
    expect(text).toBe(
      `${textStream.slice(0, 3).join('')}${cut}\n\nevent: error\ndata: {"type":"error","error":{"type":"api_error","message":"The stream from anthropic ended before it was complete."}}\n\n`,
    );
    await expect(outcome).resolves.toMatchObject({ error: { status: 502 } });
  });

  it('appends an error event when the connection breaks', async () => {
    const { body } = observeAnthropicStream(source(textStream.slice(0, 2), new Error('reset')).stream, { provider: 'anthropic' });
    expect(await new Response(body).text()).toMatch(/event: error\ndata: .*The connection to anthropic broke/);
  });

  it('cancels the upstream when the caller cancels', async () => {
    const input = source(textStream.slice(0, 1), 'hang');
    const { body, outcome } = observeAnthropicStream(input.stream, { provider: 'anthropic' });
    const reader = body.getReader();
    await reader.read();
    const waiting = reader.read();
    await reader.cancel();
    await expect(waiting).resolves.toMatchObject({ done: true });
    expect(input.cancelled()).toBe(true);
    await expect(outcome).resolves.toMatchObject({ error: { status: 499 } });
  });
});

describe('Anthropic usage counts', () => {
  it('merge later counts over earlier ones and add cache tokens to the prompt', () => {
    const start = mergeAnthropicUsageCounts({}, { input_tokens: 10, cache_read_input_tokens: 100, cache_creation_input_tokens: 5, output_tokens: 1 });
    const end = mergeAnthropicUsageCounts(start, { output_tokens: 42, input_tokens: null });
    expect(usageFromAnthropicCounts(end)).toEqual({ promptTokens: 115, completionTokens: 42, totalTokens: 157, cachedPromptTokens: 100, cacheWritePromptTokens: 5 });
    expect(usageFromAnthropicCounts(mergeAnthropicUsageCounts({}, 'nothing'))).toBeUndefined();
  });
});
