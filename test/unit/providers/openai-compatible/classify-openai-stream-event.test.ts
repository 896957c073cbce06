import { describe, expect, it, vi } from 'vitest';
import { UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import { classifyOpenAIStreamEvent } from '../../../../shared/src/providers/openai-compatible/classify-openai-stream-event.ts';

const classify = (data: string, event?: string) => classifyOpenAIStreamEvent('openai', { data, event });

describe('classifyOpenAIStreamEvent', () => {
  it('passes an ordinary chunk through without reading it', () => {
    const data = '{"choices":[{"delta":{"content":"the word \\"usage\\" in text"}}]}';
    expect(classify(data)).toEqual({ kind: 'chunk', payload: data, usage: undefined, usageOnly: false });
  });

  it('captures usage and recognises the usage-only chunk', () => {
    const data = '{"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}';
    expect(classify(data)).toEqual({
      kind: 'chunk',
      payload: data,
      usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7 },
      usageOnly: true,
    });
  });

  it('does not call a final content chunk that carries usage "usage-only"', () => {
    const data = '{"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}';
    expect(classify(data)).toMatchObject({ kind: 'chunk', usageOnly: false, usage: { totalTokens: 2 } });
  });

  it('treats "usage": null as no usage', () => {
    expect(classify('{"choices":[],"usage":null}')).toMatchObject({ kind: 'chunk', usage: undefined, usageOnly: false });
  });

  it('passes chunks whose usage is null through without parsing them, as OpenAI sends them with include_usage', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      for (const data of ['{"choices":[{"delta":{"content":"hi"}}],"usage":null}', '{"choices":[], "usage" :\tnull, "x":{"usage": null}}']) {
        expect(classify(data)).toEqual({ kind: 'chunk', payload: data, usage: undefined, usageOnly: false });
      }
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
    // Any usage key with a value is still read.
    expect(classify('{"x":{"usage":null},"usage":{"prompt_tokens":1,"completion_tokens":2}}')).toMatchObject({ usage: { totalTokens: 3 } });
    expect(classify('{"usage":nullish}')).toEqual({ kind: 'malformed' });
  });

  it('recognises [DONE], blank keep-alives, errors and garbage', () => {
    expect(classify('[DONE]')).toEqual({ kind: 'done' });
    expect(classify('  ')).toEqual({ kind: 'ignored' });
    expect(classify('not json')).toEqual({ kind: 'malformed' });
    expect(classify('{"id":"chatcmpl-1","choi')).toEqual({ kind: 'malformed' });
    expect(classify('<html>502 Bad Gateway</html>')).toEqual({ kind: 'malformed' });
    // Lines that need reading (usage, error) are fully parsed, so broken JSON there is caught too.
    expect(classify('{"usage": {"prompt_tokens": }')).toEqual({ kind: 'malformed' });
    const error = classify('{"error":{"message":"boom","type":"server_error","code":"x","param":null}}');
    expect(error.kind).toBe('error');
    if (error.kind !== 'error') return;
    expect(error.error).toBeInstanceOf(UpstreamError);
    expect(error.error.toOpenAIError()).toEqual({ error: { message: 'boom', type: 'server_error', code: 'x', param: null } });
    expect(classify('{"error":null,"choices":[]}').kind).toBe('chunk');
  });
});
