import { describe, expect, it } from 'vitest';
import type { GeminiGenerateContentResponse } from '../../../../shared/src/providers/google/gemini-api-types.ts';
import { mapGeminiFinishReason } from '../../../../shared/src/providers/google/map-gemini-finish-reason.ts';
import { answerIdentity, mapGeminiResponse } from '../../../../shared/src/providers/google/map-gemini-response.ts';
import { usageFromGemini } from '../../../../shared/src/providers/google/map-gemini-usage.ts';
import { fixtureText } from '../../../support/mock-upstream.ts';

const FALLBACK = { model: 'gemini-x', created: 1_700_000_000, randomKey: () => 'random1' };

function mapFixture(name: string) {
  const response = JSON.parse(fixtureText(`google/${name}`)) as GeminiGenerateContentResponse;
  return mapGeminiResponse(response, answerIdentity(response, FALLBACK));
}

describe('mapGeminiResponse', () => {
  it('maps a text answer with thoughts counted as reasoning tokens', () => {
    const { completion, usage } = mapFixture('google-text.json');
    expect(completion).toEqual({
      id: 'chatcmpl-Un6LacrVMcjUxs0PmJfWoQc',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gemini-3-pro-preview',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.", refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 9, completion_tokens: 272, total_tokens: 281, completion_tokens_details: { reasoning_tokens: 244 } },
    });
    expect(usage).toEqual({ promptTokens: 9, completionTokens: 272, totalTokens: 281, reasoningTokens: 244 });
  });

  it('maps a function call to a tool call with a stable id and its thought signature', () => {
    const { completion } = mapFixture('google-tool-call.json');
    const signature = (JSON.parse(fixtureText('google/google-tool-call.json')) as GeminiGenerateContentResponse).candidates?.[0]?.content?.parts?.[0]?.thoughtSignature;
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_m36LaZGyCLz1xs0PtNSB-QU_0',
              type: 'function',
              function: { name: 'weather', arguments: '{"location":"San Francisco"}' },
              extra_content: { google: { thought_signature: signature } },
            },
          ],
          refusal: null,
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
  });

  it('answers a blocked prompt with an empty choice finished by the content filter', () => {
    const { completion, usage } = mapFixture('written/google-prompt-blocked.json');
    expect(completion.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: 'content_filter' },
    ]);
    expect(usage).toEqual({ promptTokens: 11, completionTokens: 0, totalTokens: 11 });
  });

  it('maps a safety stop to content_filter and MAX_TOKENS to length with cached tokens', () => {
    expect(mapFixture('written/google-safety-finish.json').completion.choices[0]).toMatchObject({
      message: { content: 'Here is how the first step' },
      finish_reason: 'content_filter',
    });
    const truncated = mapFixture('written/google-max-tokens.json').completion;
    expect(truncated.choices[0]?.finish_reason).toBe('length');
    expect(truncated.usage).toEqual({ prompt_tokens: 8, completion_tokens: 5, total_tokens: 13, prompt_tokens_details: { cached_tokens: 4 } });
  });

  it('puts thought parts in reasoning_content and numbers several candidates', () => {
    const response: GeminiGenerateContentResponse = {
      candidates: [
        { index: 0, content: { role: 'model', parts: [{ text: 'Thinking about it.', thought: true }, { text: 'Answer A' }] }, finishReason: 'STOP' },
        { index: 1, content: { role: 'model', parts: [{ functionCall: { name: 'f', args: { a: 1 } } }] }, finishReason: 'STOP', finishMessage: 'x' },
      ],
      somethingNew: { ignored: true },
    } as GeminiGenerateContentResponse;
    const { completion, usage } = mapGeminiResponse(response, answerIdentity(response, FALLBACK));
    expect(completion.id).toBe('chatcmpl-random1');
    expect(completion.model).toBe('gemini-x');
    expect(completion.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'Answer A', reasoning_content: 'Thinking about it.', refusal: null }, logprobs: null, finish_reason: 'stop' },
      {
        index: 1,
        message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_random1_1_0', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }], refusal: null },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
    expect(usage).toBeUndefined();
    expect(completion.usage).toBeUndefined();
  });
});

describe('mapGeminiFinishReason', () => {
  it.each([
    ['STOP', false, 'stop'],
    ['STOP', true, 'tool_calls'],
    ['MAX_TOKENS', true, 'length'],
    ['SAFETY', false, 'content_filter'],
    ['RECITATION', false, 'content_filter'],
    ['BLOCKLIST', false, 'content_filter'],
    ['PROHIBITED_CONTENT', false, 'content_filter'],
    ['SPII', false, 'content_filter'],
    ['IMAGE_SAFETY', false, 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', false, 'stop'],
    ['LANGUAGE', false, 'stop'],
    ['OTHER', false, 'stop'],
  ] as const)('%s (tool calls: %s) → %s, keeping the raw value', (raw, hasToolCalls, unified) => {
    expect(mapGeminiFinishReason(raw, hasToolCalls)).toEqual({ unified, raw });
  });
});

describe('usageFromGemini', () => {
  it('adds thoughts and tool-use prompt tokens where OpenAI counts them', () => {
    expect(
      usageFromGemini({ promptTokenCount: 10, toolUsePromptTokenCount: 5, candidatesTokenCount: 3, thoughtsTokenCount: 7, cachedContentTokenCount: 6, totalTokenCount: 25 }),
    ).toEqual({ promptTokens: 15, completionTokens: 10, totalTokens: 25, cachedPromptTokens: 6, reasoningTokens: 7 });
  });

  it('has no usage while the metadata carries no counts', () => {
    expect(usageFromGemini({ trafficType: 'ON_DEMAND' } as never)).toBeUndefined();
    expect(usageFromGemini(undefined)).toBeUndefined();
  });
});
