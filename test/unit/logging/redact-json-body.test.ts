import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../shared/src/core/json.ts';
import { redactJsonBody } from '../../../shared/src/logging/redact-json-body.ts';
import { redactSseText } from '../../../shared/src/logging/redact-sse-text.ts';

describe('redactJsonBody', () => {
  const request: JsonValue = {
    model: 'gpt-4o',
    temperature: 0.2,
    stream: true,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: [{ type: 'text', text: 'Hello there' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
      { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] },
    ],
  };

  it('replaces every content string by its length and keeps the structure', () => {
    expect(redactJsonBody(request, true)).toEqual({
      model: 'gpt-4o',
      temperature: 0.2,
      stream: true,
      messages: [
        { role: 'system', content: '[redacted: 14 chars]' },
        { role: 'user', content: [{ type: 'text', text: '[redacted: 11 chars]' }, { type: 'image_url', image_url: { url: '[redacted: 26 chars]' } }] },
        { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '[redacted: 9 chars]' } }] },
      ],
    });
  });

  it('keeps everything in full mode', () => {
    expect(redactJsonBody(request, false)).toEqual(request);
  });

  it('summarises long number arrays (embeddings) in redacted mode only', () => {
    const answer = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: Array.from({ length: 20 }, (_, i) => i / 10) }] };
    expect(redactJsonBody(answer, true)).toEqual({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: '[redacted: 20 numbers]' }] });
    expect(redactJsonBody(answer, false)).toEqual(answer);
  });

  it('removes credentials under well-known keys in every mode', () => {
    const body = { api_key: 'sk-live-123456', nested: { Authorization: 'Bearer x', aws_secret_access_key: 'abc', credentials: { token: 't' } }, max_tokens: 5 };
    const expected = { api_key: '[credential removed]', nested: { Authorization: '[credential removed]', aws_secret_access_key: '[credential removed]', credentials: '[credential removed]' }, max_tokens: 5 };
    expect(redactJsonBody(body, false)).toEqual(expected);
    expect(redactJsonBody(body, true)).toEqual(expected);
  });
});

describe('redactSseText', () => {
  const stream = [
    'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi!"},"finish_reason":null}]}',
    '',
    'event: ping',
    'data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}',
    '',
    'data: [DONE]',
    '',
    'data: {"id":"c2","choices":[{"delta":{"content":"cut he',
  ].join('\n');

  it('redacts the content of each event and keeps ids, roles, finish reasons and usage', () => {
    expect(redactSseText(stream, true).split('\n')).toEqual([
      'data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"[redacted: 3 chars]"},"finish_reason":null}]}',
      '',
      'event: ping',
      'data: {"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}',
      '',
      'data: [DONE]',
      '',
      'data: [redacted: 49 chars]',
    ]);
  });

  it('leaves the text as it was in full mode', () => {
    expect(redactSseText(stream, false)).toBe(stream);
  });
});
