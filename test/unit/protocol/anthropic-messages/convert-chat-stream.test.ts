import { describe, expect, it } from 'vitest';
import { RequestTimeoutError } from '../../../../shared/src/core/gateway-error.ts';
import type { Usage } from '../../../../shared/src/core/usage.ts';
import { convertChatStreamToAnthropic } from '../../../../shared/src/protocol/anthropic-messages/convert-chat-stream.ts';
import { fixtureChunks, sseFrames } from '../../../support/mock-upstream.ts';

const encoder = new TextEncoder();

interface FakeSource {
  stream: ReadableStream<Uint8Array>;
  /** How many times the converter asked for more. */
  pulls(): number;
  cancelled(): boolean;
}

/** A source that yields `frames` one per pull, then ends (or fails with `failure`, or never ends). */
function source(frames: string[], end: 'close' | 'hang' | Error = 'close'): FakeSource {
  let pulls = 0;
  let cancelled = false;
  const queue = [...frames];
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulls += 1;
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
  return { stream, pulls: () => pulls, cancelled: () => cancelled };
}

function convert(input: ReadableStream<Uint8Array>, finalUsage?: Promise<Usage | undefined>) {
  return convertChatStreamToAnthropic(input, { provider: 'openai', model: 'requested', fallbackMessageId: 'msg_fallback', finalUsage });
}

interface ParsedEvent {
  event: string;
  data: { type: string; [key: string]: unknown };
}

async function readEvents(body: ReadableStream<Uint8Array>): Promise<{ text: string; events: ParsedEvent[] }> {
  const text = await new Response(body).text();
  const events = text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return { event: eventLine?.replace(/^event: /, '') ?? '', data: JSON.parse(dataLine?.replace(/^data: /, '') ?? '') as ParsedEvent['data'] };
    });
  return { text, events };
}

function textOf(events: ParsedEvent[]): string {
  return events
    .map((event) => event.data.delta as { type?: string; text?: string } | undefined)
    .filter((delta) => delta?.type === 'text_delta')
    .map((delta) => delta?.text ?? '')
    .join('');
}

const openAIText = fixtureChunks('openai/openai-text.chunks.txt');
const openAIReassembled = openAIText
  .map((line) => JSON.parse(line) as { choices: Array<{ delta?: { content?: string } }> })
  .map((chunk) => chunk.choices[0]?.delta?.content ?? '')
  .join('');

describe('convertChatStreamToAnthropic', () => {
  it('converts a recorded OpenAI text stream, event for event', async () => {
    const { body, outcome } = convert(source([sseFrames(openAIText)]).stream);
    const { events } = await readEvents(body);
    expect(events.every((event) => event.event === event.data.type)).toBe(true);
    const names = events.map((event) => event.event);
    expect(names.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(new Set(names.slice(2, -3))).toEqual(new Set(['content_block_delta']));
    expect(textOf(events)).toBe(openAIReassembled);
    expect(events[0]?.data).toMatchObject({ message: { id: 'msg_D8Z5oo6uDh67AD85p73ksdT1KxhE0', model: 'gpt-4.1-nano-2025-04-14' } });
    expect(events.at(-2)?.data).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 16, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 300 },
    });
    await expect(outcome).resolves.toEqual({ usage: { promptTokens: 16, completionTokens: 300, totalTokens: 316, cachedPromptTokens: 0, reasoningTokens: 0 } });
  });

  it('converts a recorded reasoning + tool call stream (whole stream)', async () => {
    const chunks = fixtureChunks('openai-compatible/xai-tool-call.chunks.txt');
    const { body } = convert(source(chunks.map((chunk) => `data: ${chunk}\n\n`).concat('data: [DONE]\n\n')).stream);
    const { text } = await readEvents(body);
    await expect(text).toMatchFileSnapshot('__snapshots__/xai-tool-call.anthropic-sse.txt');
  });

  it('takes usage from the provider outcome when the chunks carry none', async () => {
    const frames = sseFrames([JSON.stringify({ id: 'chatcmpl-9', model: 'm', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] })]);
    const { body, outcome } = convert(source([frames]).stream, Promise.resolve({ promptTokens: 4, completionTokens: 1, totalTokens: 5 }));
    const { events } = await readEvents(body);
    expect(events.at(-2)?.data.usage).toEqual({ input_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 });
    await expect(outcome).resolves.toEqual({ usage: { promptTokens: 4, completionTokens: 1, totalTokens: 5 } });
  });

  it('ends with an Anthropic error event, not message_stop, when the chat stream carries an error', async () => {
    const input = source([
      `data: ${openAIText[1]}\n\n`,
      'data: {"error":{"message":"Rate limit reached","type":"rate_limit_error","code":null,"param":null}}\n\n',
      `data: ${openAIText[2]}\n\n`,
    ], 'hang');
    const { body, outcome } = convert(input.stream);
    const { text, events } = await readEvents(body);
    expect(events.at(-1)).toEqual({ event: 'error', data: { type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit reached' } } });
    expect(text).not.toContain('message_stop');
    await expect(outcome).resolves.toEqual({ usage: undefined, failure: { status: 502, message: 'Rate limit reached', fromUpstream: true } });
    expect(input.cancelled()).toBe(true);
  });

  it('maps a status carried in the error code', async () => {
    const { body } = convert(source(['data: {"error":{"message":"Overloaded","type":"upstream_error","code":"529"}}\n\n']).stream);
    const { events } = await readEvents(body);
    expect(events).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }]);
  });

  it('reports a stream that ends without [DONE] as an error', async () => {
    const { body, outcome } = convert(source([`data: ${openAIText[1]}\n\n`]).stream);
    const { events } = await readEvents(body);
    expect(events.map((event) => event.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'error']);
    expect(events.at(-1)?.data).toEqual({ type: 'error', error: { type: 'api_error', message: 'The stream from openai ended before it was complete.' } });
    await expect(outcome).resolves.toMatchObject({ failure: { status: 502, fromUpstream: false } });
  });

  it('reports an event that is not JSON as an error and stops reading', async () => {
    const input = source(['data: {not json\n\n', `data: ${openAIText[1]}\n\n`], 'hang');
    const { body } = convert(input.stream);
    const { events } = await readEvents(body);
    expect(events).toEqual([{ event: 'error', data: { type: 'error', error: { type: 'api_error', message: 'openai sent a stream event the gateway cannot read.' } } }]);
    expect(input.cancelled()).toBe(true);
  });

  it('reports a chunk of the wrong shape as an error instead of failing the stream', async () => {
    const { body, outcome } = convert(source(['data: {"id":"chatcmpl-1","choices":[null]}\n\n']).stream);
    const { events } = await readEvents(body);
    expect(events.at(-1)?.event).toBe('error');
    await expect(outcome).resolves.toMatchObject({ failure: { status: 502, fromUpstream: false } });
  });

  it('reports a broken connection, keeping a gateway error such as a timeout', async () => {
    const broken = convert(source([`data: ${openAIText[1]}\n\n`], new Error('socket hang up')).stream);
    expect((await readEvents(broken.body)).events.at(-1)?.data).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The connection to openai broke before the stream was complete.' },
    });
    const timedOut = convert(source([], new RequestTimeoutError(50)).stream);
    expect((await readEvents(timedOut.body)).events).toEqual([
      { event: 'error', data: { type: 'error', error: { type: 'timeout_error', message: 'The request to the provider timed out after 50 ms.' } } },
    ]);
  });

  it('reads the chat stream only as fast as the caller reads', async () => {
    const frames = openAIText.slice(0, 10).map((chunk) => `data: ${chunk}\n\n`);
    const input = source(frames);
    const reader = convert(input.stream).body.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(input.pulls()).toBeLessThanOrEqual(2);
    await reader.cancel();
  });

  it('cancels the chat stream when the caller cancels, even while a read is waiting', async () => {
    const input = source([`data: ${openAIText[1]}\n\n`], 'hang');
    const { body, outcome } = convert(input.stream);
    const reader = body.getReader();
    // message_start, content_block_start and the first delta; the next read waits on the source.
    for (let event = 0; event < 3; event += 1) await reader.read();
    const waiting = reader.read();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await reader.cancel();
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    expect(input.cancelled()).toBe(true);
    await expect(outcome).resolves.toMatchObject({ failure: { status: 499, fromUpstream: false } });
  });
});
