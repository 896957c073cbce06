import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import { createCohereStreamTransformer } from '../../../../shared/src/providers/cohere/cohere-stream-transformer.ts';
import { StreamedToolArguments } from '../../../../shared/src/providers/cohere/streamed-tool-arguments.ts';
import { fixtureText } from '../../../support/mock-upstream.ts';
import { cohereChunks, cohereEvents, reassemble, replayCohereEvents, replayCohereStream, STREAM_CONTEXT } from './cohere-fixture-streams.ts';

const base = { id: '321d178c-2c12-44d3-ae42-2f5510f6b1cc', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'command-a-03-2025' };

function contentChunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  return JSON.stringify({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
}

describe('the Cohere stream transformer', () => {
  it('turns the text stream into OpenAI chunks with one id, a finish chunk, usage and [DONE]', async () => {
    const payloads = await replayCohereStream(cohereChunks('cohere-text.chunks.txt'));
    expect(payloads).toEqual([
      contentChunk({ role: 'assistant', content: '' }),
      ...['The', ' capital', ' of', ' France', ' is', ' Paris', '.'].map((text) => contentChunk({ content: text })),
      contentChunk({}, 'stop'),
      JSON.stringify({
        ...base,
        choices: [],
        usage: { prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } },
      }),
      '[DONE]',
    ]);
  });

  it('streams the same text as the non-streamed answer', async () => {
    const nonStreamed = JSON.parse(fixtureText('cohere/cohere-text.json')) as { message: { content: Array<{ text: string }> } };
    expect(reassemble(await replayCohereStream(cohereChunks('cohere-text.chunks.txt')))).toBe(nonStreamed.message.content[0]?.text);
  });

  it('leaves the usage chunk out when the caller did not ask, but still reports usage', async () => {
    const payloads = await replayCohereStream(cohereChunks('cohere-text.chunks.txt'), false);
    expect(payloads.some((payload) => payload.includes('"usage"'))).toBe(false);
    const transformer = createCohereStreamTransformer(STREAM_CONTEXT);
    const parts = cohereEvents(cohereChunks('cohere-text.chunks.txt')).flatMap((event) => transformer.transform(event));
    expect(parts.find((part) => part.type === 'usage')).toMatchObject({ usage: { promptTokens: 507, completionTokens: 10, totalTokens: 517 } });
    expect(parts.at(-1)).toEqual({ type: 'finish' });
  });

  it('streams tool plans as content and tool calls as indexed tool_call deltas', async () => {
    const payloads = await replayCohereStream(cohereChunks('cohere-tool-call.chunks.txt'));
    expect(payloads).toMatchSnapshot();
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload) as { id: string; choices: Array<{ delta: { tool_calls?: Array<{ index: number; id?: string; function?: { name?: string; arguments?: string } }> } }> });
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set(['2941521a-b87a-45f6-9b0d-235fd66c3025']));
    const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
    for (const delta of chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])) {
      const call = (calls[delta.index] ??= { arguments: '' });
      if (delta.id !== undefined) call.id = delta.id;
      if (delta.function?.name !== undefined) call.name = delta.function.name;
      call.arguments += delta.function?.arguments ?? '';
    }
    expect(calls).toEqual([
      { id: 'weather_e8p4pn45zt0t', name: 'weather', arguments: '{"location": "San Francisco"}' },
      { id: 'cityAttractions_pyxssbwnq9fq', name: 'cityAttractions', arguments: '{"city": "San Francisco"}' },
    ]);
    expect(reassemble(payloads)).toBe(
      'I will use the weather tool to find the weather in San Francisco and the cityAttractions tool to find attractions in San Francisco.',
    );
    expect(JSON.parse(payloads.at(-3) ?? '')).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }] });
  });

  it('sends {} for a tool call whose arguments never came', async () => {
    const payloads = await replayCohereStream(cohereChunks('cohere-empty-tool-call.chunks.txt'));
    const toolDeltas = payloads
      .filter((payload) => payload.includes('"tool_calls":['))
      .map((payload) => (JSON.parse(payload) as { choices: Array<{ delta: { tool_calls: unknown[] } }> }).choices[0]?.delta.tool_calls);
    expect(toolDeltas).toEqual([
      [{ index: 0, id: 'currentTime_y46ar19t5gvw', type: 'function', function: { name: 'currentTime', arguments: '' } }],
      [{ index: 0, function: { arguments: '{}' } }],
    ]);
    expect(payloads.at(-1)).toBe('[DONE]');
  });

  it('streams thinking as reasoning_content, then the answer as content', async () => {
    const payloads = await replayCohereStream(cohereChunks('cohere-reasoning.chunks.txt'));
    expect(payloads).toMatchSnapshot();
    expect(reassemble(payloads, 'reasoning_content')).toBe(
      "The user is asking for the sum of 2 and 2. Since this is a straightforward arithmetic problem, I don't need to use any tools. I can calculate the answer directly.",
    );
    expect(reassemble(payloads)).toBe('The answer to 2 + 2 is 4.');
  });

  it('ends with an error event, not [DONE], when Cohere reports an error mid-stream', async () => {
    const payloads = await replayCohereStream(cohereChunks('cohere-error-mid-stream.chunks.txt'));
    expect(reassemble(payloads)).toBe('The capital');
    expect(JSON.parse(payloads.at(-1) ?? '')).toEqual({
      error: { message: 'internal error: generation failed, please try again', type: 'api_error', code: 'generation_error', param: null },
    });
    expect(payloads).not.toContain('[DONE]');
  });

  it('reports a TIMEOUT finish as a 504 error', () => {
    const transformer = createCohereStreamTransformer(STREAM_CONTEXT);
    const [part] = transformer.transform({ event: 'message-end', data: '{"type":"message-end","delta":{"finish_reason":"TIMEOUT"}}', id: undefined });
    expect(part?.type).toBe('error');
    const error = part?.type === 'error' ? part.error : undefined;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 504, code: 'generation_timeout', message: 'cohere stopped generating with finish reason TIMEOUT.' });
  });

  it('ends with a truncation error when the stream stops before message-end', async () => {
    const payloads = await replayCohereStream(cohereChunks('cohere-text.chunks.txt').slice(0, 5));
    expect(JSON.parse(payloads.at(-1) ?? '')).toMatchObject({ error: { code: 'stream_truncated' } });
  });

  it('ignores citation, debug and unknown events and unknown fields', () => {
    const transformer = createCohereStreamTransformer(STREAM_CONTEXT);
    const ignored = [
      '{"type":"citation-start","index":0,"delta":{"message":{"citations":{"start":0,"end":3,"text":"The","sources":[]}}}}',
      '{"type":"citation-end","index":0}',
      '{"type":"debug","prompt":"..."}',
      '{"type":"some-future-event","delta":{}}',
      '{"type":"content-end","index":0}',
    ];
    for (const data of ignored) expect(transformer.transform({ event: undefined, data, id: undefined })).toEqual([]);
    const [part] = transformer.transform({ event: undefined, data: '{"type":"content-delta","index":0,"new_field":1,"delta":{"message":{"content":{"text":"Hi","extra":true}}}}', id: undefined });
    expect(part).toMatchObject({ type: 'chunk', chunk: { id: 'chatcmpl-fallback', choices: [{ delta: { role: 'assistant', content: 'Hi' } }] } });
  });

  it('reports a malformed event as a stream error', async () => {
    const payloads = await replayCohereEvents([
      { event: 'message-start', data: '{"type":"message-start","id":"x"}', id: undefined },
      { event: 'content-delta', data: 'not json', id: undefined },
    ]);
    expect(JSON.parse(payloads.at(-1) ?? '')).toMatchObject({ error: { code: 'invalid_upstream_response' } });
  });
});

describe('StreamedToolArguments', () => {
  it('holds back text that could still be "null", and sends {} for it', () => {
    const nullArguments = new StreamedToolArguments();
    expect(['nu', 'll'].map((piece) => nullArguments.append(piece))).toEqual(['', '']);
    expect(nullArguments.end()).toBe('{}');
  });

  it('releases held text as soon as it is something else', () => {
    const other = new StreamedToolArguments();
    expect(other.append(' ')).toBe('');
    expect(other.append('{"a"')).toBe(' {"a"');
    expect(other.append(':1}')).toBe(':1}');
    expect(other.end()).toBe('');
  });
});
