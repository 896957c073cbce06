import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../../shared/src/core/chat-types.ts';
import { RequestTimeoutError, UpstreamError } from '../../../shared/src/core/gateway-error.ts';
import { type ChatStreamPart, type ChatStreamTransformer, streamChatCompletionChunks } from '../../../shared/src/protocol/chat-chunk-stream.ts';

type Event = { text?: string; end?: boolean; usage?: number; fail?: boolean; bad?: boolean };

function chunk(content: string, choices = true): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: choices ? [{ index: 0, delta: { content }, finish_reason: null }] : [],
  };
}

const transformer: ChatStreamTransformer<Event> = {
  transform(event): ChatStreamPart[] {
    if (event.bad) throw new Error('cannot parse');
    if (event.fail) {
      return [{ type: 'error', error: new UpstreamError({ provider: 'p', status: 529, body: { error: { message: 'overloaded', type: 'overloaded_error', code: null, param: null } } }) }];
    }
    const parts: ChatStreamPart[] = [];
    if (event.text !== undefined) parts.push({ type: 'chunk', chunk: chunk(event.text) });
    if (event.usage !== undefined) {
      parts.push({ type: 'usage', usage: { promptTokens: event.usage, completionTokens: 1, totalTokens: event.usage + 1 }, chunk: { ...chunk('', false), usage: { prompt_tokens: event.usage, completion_tokens: 1, total_tokens: event.usage + 1 } } });
    }
    if (event.end) parts.push({ type: 'finish' });
    return parts;
  },
};

async function* events(list: Event[], onReturn?: () => void): AsyncGenerator<Event> {
  try {
    for (const event of list) yield event;
  } finally {
    onReturn?.();
  }
}

async function text(body: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(body).text();
}

describe('streamChatCompletionChunks', () => {
  it('encodes chunks as SSE and ends with [DONE] after the end marker', async () => {
    const { body, outcome } = streamChatCompletionChunks(events([{ text: 'Hel' }, { text: 'lo' }, { end: true }]), transformer, { provider: 'p', includeUsage: false });
    const sse = await text(body);
    expect(sse.split('\n\n').filter(Boolean)).toEqual([
      `data: ${JSON.stringify(chunk('Hel'))}`,
      `data: ${JSON.stringify(chunk('lo'))}`,
      'data: [DONE]',
    ]);
    await expect(outcome).resolves.toEqual({ usage: undefined, error: undefined });
  });

  it('keeps going through events that produce nothing (pings)', async () => {
    const { body } = streamChatCompletionChunks(events([{}, {}, { text: 'a' }, {}, { end: true }]), transformer, { provider: 'p', includeUsage: false });
    expect(await text(body)).toContain('data: [DONE]');
  });

  it('captures usage always, and forwards the usage chunk only when the caller asked', async () => {
    const quiet = streamChatCompletionChunks(events([{ text: 'a', end: true }, { usage: 7 }]), transformer, { provider: 'p', includeUsage: false });
    expect(await text(quiet.body)).not.toContain('"usage"');
    await expect(quiet.outcome).resolves.toMatchObject({ usage: { promptTokens: 7 } });
    const asked = streamChatCompletionChunks(events([{ text: 'a', end: true }, { usage: 7 }]), transformer, { provider: 'p', includeUsage: true });
    expect(await text(asked.body)).toContain('"prompt_tokens":7');
  });

  it('ends with an error event, not [DONE], when the source ends without its end marker', async () => {
    const { body, outcome } = streamChatCompletionChunks(events([{ text: 'a' }]), transformer, { provider: 'p', includeUsage: false });
    const sse = await text(body);
    expect(sse).not.toContain('[DONE]');
    expect(sse).toContain('"code":"stream_truncated"');
    await expect(outcome).resolves.toMatchObject({ error: { status: 502 } });
  });

  it('turns an error part into an error event and stops reading the source', async () => {
    let returned = false;
    const { body, outcome } = streamChatCompletionChunks(events([{ text: 'a' }, { fail: true }, { text: 'never' }], () => { returned = true; }), transformer, { provider: 'p', includeUsage: false });
    const sse = await text(body);
    expect(sse).toContain('overloaded');
    expect(sse).not.toContain('never');
    await expect(outcome).resolves.toMatchObject({ error: { status: 529 } });
    expect(returned).toBe(true);
  });

  it('turns an event the transformer cannot read into a 502 error event', async () => {
    const { body } = streamChatCompletionChunks(events([{ bad: true }]), transformer, { provider: 'p', includeUsage: false });
    expect(await text(body)).toContain('"code":"invalid_upstream_response"');
  });

  it('reports the abort reason when the source fails because the attempt timed out', async () => {
    const controller = new AbortController();
    controller.abort(new RequestTimeoutError(50));
    async function* failing(): AsyncGenerator<Event> {
      yield { text: 'a' };
      throw new Error('socket closed');
    }
    const { body } = streamChatCompletionChunks(failing(), transformer, { provider: 'p', includeUsage: false, signal: controller.signal });
    expect(await text(body)).toContain('"code":"request_timeout"');
  });

  it('returns the source when the caller cancels, and records the cancel', async () => {
    let returned = false;
    async function* endless(): AsyncGenerator<Event> {
      try {
        for (;;) yield { text: 'x' };
      } finally {
        returned = true;
      }
    }
    const { body, outcome } = streamChatCompletionChunks(endless(), transformer, { provider: 'p', includeUsage: false });
    const reader = body.getReader();
    await reader.read();
    await reader.cancel();
    expect(returned).toBe(true);
    await expect(outcome).resolves.toMatchObject({ error: { status: 499 } });
  });

  it('reads the source only as fast as the caller reads', async () => {
    let produced = 0;
    async function* counting(): AsyncGenerator<Event> {
      for (;;) {
        produced++;
        yield { text: String(produced) };
      }
    }
    const { body } = streamChatCompletionChunks(counting(), transformer, { provider: 'p', includeUsage: false });
    const reader = body.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(produced).toBeLessThanOrEqual(2);
    await reader.cancel();
  });
});
