import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../shared/src/core/json.ts';
import { collectStreamedText } from '../../../shared/src/guardrails/collect-streamed-text.ts';
import { answerText, endpointHasAnswerText, endpointRunsGuardrails, requestText } from '../../../shared/src/guardrails/guardrail-text.ts';

describe('requestText', () => {
  it('reads the last message of a chat, string or text parts', () => {
    const messages: JsonValue = [
      { role: 'system', content: 'be nice' },
      { role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'image_url', image_url: { url: 'x' } }, { type: 'text', text: 'second' }] },
    ];
    expect(requestText('chat.completions', { messages })).toBe('first\nsecond');
    expect(requestText('messages', { messages: [{ role: 'user', content: 'hello' }] })).toBe('hello');
    expect(requestText('chat.completions', { messages: [] })).toBe('');
  });

  it('reads a completion prompt and an embedding input, string or list of strings', () => {
    expect(requestText('completions', { prompt: 'Once upon' })).toBe('Once upon');
    expect(requestText('completions', { prompt: ['a', 'b'] })).toBe('a\nb');
    expect(requestText('embeddings', { input: ['x', 'y'] })).toBe('x\ny');
    expect(requestText('embeddings', { input: [1, 2, 3] })).toBe('');
  });

  it('knows which endpoints guardrails apply to', () => {
    expect(['chat.completions', 'completions', 'embeddings', 'messages'].every((endpoint) => endpointRunsGuardrails(endpoint as never))).toBe(true);
    expect(endpointRunsGuardrails('images.generations')).toBe(false);
    expect(endpointHasAnswerText('embeddings')).toBe(false);
  });
});

describe('answerText', () => {
  it('reads the first choice of a chat or completion answer, and the text blocks of a Messages answer', () => {
    expect(answerText({ choices: [{ message: { role: 'assistant', content: 'hi' } }, { message: { content: 'other' } }] })).toBe('hi');
    expect(answerText({ choices: [{ message: { role: 'assistant', content: null, tool_calls: [] } }] })).toBe('');
    expect(answerText({ choices: [{ text: 'completed' }] })).toBe('completed');
    expect(answerText({ content: [{ type: 'text', text: 'a' }, { type: 'tool_use', id: 't' }, { type: 'text', text: 'b' }] })).toBe('a\nb');
  });
});

describe('collectStreamedText', () => {
  const encoder = new TextEncoder();
  const streamOf = (parts: string[]) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const part of parts) controller.enqueue(encoder.encode(part));
        controller.close();
      },
    });
  const read = async (body: ReadableStream<Uint8Array>) => new Response(body).text();

  it('passes the bytes through and collects the first choice across events split anywhere', async () => {
    const events = [
      'data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"}}]}\n\n',
      'data: {"choices":[{"index":1,"delta":{"content":"ignored"}},{"index":0,"delta":{"content":"lo"}}]}\n\n',
      'data: [DONE]\n\n',
    ].join('');
    const { body, collected } = collectStreamedText(streamOf([events.slice(0, 30), events.slice(30, 101), events.slice(101)]), 1000);
    expect(await read(body)).toBe(events);
    expect(await collected).toEqual({ text: 'Hello', complete: true });
  });

  it('reads completion chunks and Anthropic text deltas', async () => {
    const { body, collected } = collectStreamedText(
      streamOf(['data: {"choices":[{"index":0,"text":"a"}]}\n\n', 'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"b"}}\n\n']),
      1000,
    );
    await read(body);
    expect(await collected).toEqual({ text: 'ab', complete: true });
  });

  it('stops at the limit and says the text is incomplete, and so does a cancelled stream', async () => {
    const long = collectStreamedText(streamOf(['data: {"choices":[{"index":0,"delta":{"content":"abcdef"}}]}\n\n']), 3);
    await read(long.body);
    expect(await long.collected).toEqual({ text: 'abc', complete: false });
    const cancelled = collectStreamedText(streamOf(['data: {"choices":[{"index":0,"delta":{"content":"x"}}]}\n\n']), 10);
    await cancelled.body.cancel();
    expect((await cancelled.collected).complete).toBe(false);
  });
});
