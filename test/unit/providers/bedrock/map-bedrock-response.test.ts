import { describe, expect, it } from 'vitest';
import type { ConverseResponse } from '../../../../shared/src/providers/bedrock/bedrock-api-types.ts';
import { mapBedrockFinishReason } from '../../../../shared/src/providers/bedrock/map-bedrock-finish-reason.ts';
import { mapBedrockResponse } from '../../../../shared/src/providers/bedrock/map-bedrock-response.ts';
import { mapBedrockUsage } from '../../../../shared/src/providers/bedrock/map-bedrock-usage.ts';
import { fixtureText } from '../../../support/mock-upstream.ts';

const context = { id: 'chatcmpl-req-1', created: 1_750_000_000, model: 'anthropic.claude-3-5-sonnet-20241022-v2:0', jsonMode: false };

function fixture(name: string): ConverseResponse {
  return JSON.parse(fixtureText(`bedrock/${name}`)) as ConverseResponse;
}

describe('mapBedrockResponse', () => {
  it('maps a tool call to tool_calls with JSON arguments and finish_reason tool_calls', () => {
    const { completion, usage, finishReason } = mapBedrockResponse(fixture('amazon-bedrock-tool-call.1.json'), context);
    expect(completion).toEqual({
      id: 'chatcmpl-req-1',
      object: 'chat.completion',
      created: 1_750_000_000,
      model: context.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'tool-use-id', type: 'function', function: { name: 'bash', arguments: '{"command":"ls -l"}' } }],
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
    });
    expect(usage).toEqual({ promptTokens: 10, completionTokens: 20, totalTokens: 30 });
    expect(finishReason).toEqual({ unified: 'tool_calls', raw: 'tool_use' });
  });

  it('keeps text beside a tool called without arguments ({} as arguments)', () => {
    const { completion } = mapBedrockResponse(fixture('amazon-bedrock-tool-no-args.json'), context);
    expect(completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: "I'll update the issue list for you.",
      tool_calls: [{ id: 'tool-use-id', type: 'function', function: { name: 'updateIssueList', arguments: '{}' } }],
      refusal: null,
    });
  });

  it('maps reasoning blocks to reasoning_content, leaving the signature behind', () => {
    const { completion } = mapBedrockResponse(fixture('amazon-bedrock-reasoning.json'), context);
    expect(completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'There are **3** r\'s in "strawberry":\n\n1. st**r**awbe**r****r**y',
      reasoning_content: 'Let me count the r\'s in "strawberry":\n\ns-t-r-a-w-b-e-r-r-y\n\nThere are 3 r\'s.',
      refusal: null,
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 51,
      completion_tokens: 78,
      total_tokens: 129,
      prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 0 },
    });
  });

  it('in JSON mode answers with the json tool input as content, dropping the text before it', () => {
    const { completion, finishReason } = mapBedrockResponse(fixture('amazon-bedrock-json-tool-with-answer.1.json'), { ...context, jsonMode: true });
    expect(completion.choices[0]?.message).toEqual({ role: 'assistant', content: '{"firstName":"John","lastName":"Doe"}', refusal: null });
    expect(finishReason).toEqual({ unified: 'stop', raw: 'tool_use' });
  });

  it('in JSON mode keeps calls of the caller\'s own tools beside the JSON answer', () => {
    const { completion } = mapBedrockResponse(fixture('amazon-bedrock-json-with-tool.1.json'), { ...context, jsonMode: true });
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: '{"result":"data"}',
        tool_calls: [{ id: 'tool-1', type: 'function', function: { name: 'get-weather', arguments: '{"location":"SF"}' } }],
        refusal: null,
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
  });

  it('outside JSON mode a tool named json is an ordinary tool call', () => {
    const { completion } = mapBedrockResponse(fixture('amazon-bedrock-json-tool.2.json'), context);
    expect(completion.choices[0]?.message.tool_calls?.[0]?.function).toEqual({ name: 'json', arguments: '{"value":"test data"}' });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
  });
});

describe('mapBedrockFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
    ['malformed_tool_use', 'stop'],
    ['something_new', 'stop'],
  ])('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapBedrockFinishReason(raw)).toEqual({ unified, raw });
  });
});

describe('mapBedrockUsage', () => {
  it('counts prompt-cache reads and writes into prompt_tokens, as OpenAI does', () => {
    const usage = mapBedrockUsage(fixture('written/prompt-cache.json').usage);
    expect(usage).toEqual({
      usage: { promptTokens: 1036, completionTokens: 3, totalTokens: 1039, cachedPromptTokens: 1024, cacheWritePromptTokens: 0 },
      openai: { prompt_tokens: 1036, completion_tokens: 3, total_tokens: 1039, prompt_tokens_details: { cached_tokens: 1024, cache_creation_tokens: 0 } },
    });
  });

  it('is undefined when Bedrock sent no counts', () => {
    expect(mapBedrockUsage(undefined)).toBeUndefined();
  });
});
