import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { assembleStreamedAnswer } from '../../../shared/src/cache/assemble-streamed-answer.ts';
import { cachedAnswerChunks, replayAnswerAsSse } from '../../../shared/src/cache/replay-cached-answer.ts';
import type { JsonObject } from '../../../shared/src/core/json.ts';
import { fixtureChunks, sseFrames } from '../../support/mock-upstream.ts';

const TOOL_ANSWER: JsonObject = {
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Checking.',
        tool_calls: [
          { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          { id: 'call_b', type: 'function', function: { name: 'time', arguments: '{}' } },
        ],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  system_fingerprint: 'fp_1',
};

/** An OpenAI SDK client whose every request is answered with `body` as SSE. */
function sdkAnswering(body: ReadableStream<Uint8Array>): OpenAI {
  return new OpenAI({
    apiKey: 'sk-test',
    baseURL: 'http://gateway.test/v1',
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
  });
}

function replay(answer: JsonObject, endpoint: 'chat.completions' | 'completions', includeUsage: boolean): ReadableStream<Uint8Array> {
  const body = replayAnswerAsSse(answer, endpoint, includeUsage);
  if (body === undefined) throw new Error('the answer did not replay');
  return body;
}

describe('assembleStreamedAnswer', () => {
  it('rebuilds a chat completion from a recorded OpenAI stream', () => {
    const answer = assembleStreamedAnswer(sseFrames(fixtureChunks('openai/openai-text.chunks.txt')), 'chat.completions', undefined);
    expect(answer).toMatchObject({ id: 'chatcmpl-D8Z5oo6uDh67AD85p73ksdT1KxhE0', object: 'chat.completion', model: 'gpt-4.1-nano-2025-04-14' });
    const choice = (answer?.choices as JsonObject[])[0];
    expect(choice?.finish_reason).toBe('stop');
    expect((choice?.message as JsonObject).content).toMatch(/^\*\*Holiday Name:\*\*/);
  });

  it('rebuilds reasoning and tool calls, with usage from the outcome when the caller had no usage chunk', () => {
    const answer = assembleStreamedAnswer(sseFrames(fixtureChunks('openai-compatible/xai-tool-call.chunks.txt')), 'chat.completions', {
      promptTokens: 3,
      completionTokens: 4,
      totalTokens: 7,
    });
    const message = (answer?.choices as JsonObject[])[0]?.message as JsonObject;
    expect(typeof message.reasoning_content).toBe('string');
    expect(message.tool_calls).toEqual([expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: expect.any(String) }) })]);
    expect(answer?.usage).toBeDefined();
  });

  it('refuses streams that did not end cleanly', () => {
    const chunks = fixtureChunks('openai/openai-text.chunks.txt');
    expect(assembleStreamedAnswer(sseFrames(chunks, false), 'chat.completions', undefined)).toBeUndefined();
    expect(assembleStreamedAnswer(sseFrames([...chunks.slice(0, 5), '{"error":{"message":"cut"}}']), 'chat.completions', undefined)).toBeUndefined();
    expect(assembleStreamedAnswer(sseFrames(chunks.slice(0, 5)), 'chat.completions', undefined)).toBeUndefined();
  });

  it('is the inverse of the replay', async () => {
    const sse = await new Response(replay(TOOL_ANSWER, 'chat.completions', true)).text();
    expect(assembleStreamedAnswer(sse, 'chat.completions', undefined)).toEqual(TOOL_ANSWER);
  });
});

describe('replayAnswerAsSse', () => {
  it('streams role, content, tool calls, finish, usage and [DONE]', async () => {
    const chunks = cachedAnswerChunks(TOOL_ANSWER, 'chat.completions', true) ?? [];
    expect(chunks.map((chunk) => (chunk.choices as JsonObject[])[0]?.delta ?? 'usage')).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Checking.' },
      { tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{}' } }] },
      {},
      'usage',
    ]);
    const text = await new Response(replay(TOOL_ANSWER, 'chat.completions', true)).text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('leaves the usage chunk out unless the caller asked for it', () => {
    const chunks = cachedAnswerChunks(TOOL_ANSWER, 'chat.completions', false) ?? [];
    expect(chunks.some((chunk) => chunk.usage !== undefined)).toBe(false);
  });

  it('is read by the openai SDK as a complete chat stream', async () => {
    const openai = sdkAnswering(replay(TOOL_ANSWER, 'chat.completions', true));
    const runner = openai.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('Checking.');
    expect(final.choices[0]?.message.tool_calls?.map((call) => call.type === 'function' && call.function.arguments)).toEqual(['{"city":"Paris"}', '{}']);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.usage?.total_tokens).toBe(15);
  });

  it('is read by the openai SDK as a text completion stream', async () => {
    const answer: JsonObject = {
      id: 'cmpl-1',
      object: 'text_completion',
      created: 1,
      model: 'gpt-3.5-turbo-instruct',
      choices: [{ text: 'Once upon a time', index: 0, logprobs: null, finish_reason: 'length' }],
    };
    const openai = sdkAnswering(replay(answer, 'completions', false));
    let text = '';
    let finish: string | null = null;
    for await (const chunk of await openai.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'x', stream: true })) {
      text += chunk.choices[0]?.text ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect({ text, finish }).toEqual({ text: 'Once upon a time', finish: 'length' });
  });
});
