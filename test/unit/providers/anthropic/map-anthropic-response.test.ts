import { describe, expect, it } from 'vitest';
import type { AnthropicMessageResponse } from '../../../../shared/src/providers/anthropic/anthropic-api-types.ts';
import { mapAnthropicResponse } from '../../../../shared/src/providers/anthropic/map-anthropic-response.ts';
import { fixtureText } from '../../../support/mock-upstream.ts';

const CREATED = 1_700_000_000;

function fixture(name: string): AnthropicMessageResponse {
  return JSON.parse(fixtureText(`anthropic/${name}`)) as AnthropicMessageResponse;
}

function map(name: string, jsonToolName?: string) {
  return mapAnthropicResponse(fixture(name), { created: CREATED, jsonToolName });
}

describe('mapAnthropicResponse', () => {
  it('maps a text answer with its usage', () => {
    const mapped = map('anthropic-text.json');
    expect(mapped.completion).toEqual({
      id: 'msg_01VdEjxAP5ahtHKrrRdNBteQ',
      object: 'chat.completion',
      created: CREATED,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 29, total_tokens: 41, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expect(mapped.usage).toEqual({ promptTokens: 12, completionTokens: 29, totalTokens: 41, cachedPromptTokens: 0 });
    expect(mapped.finishReason).toEqual({ unified: 'stop', raw: 'end_turn' });
  });

  it('maps a tool call without arguments to arguments "{}" beside the text', () => {
    const mapped = map('anthropic-tool-no-args.json');
    expect(mapped.completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content:
          '<thinking>\nThe updateIssueList tool was provided in the list of available functions. The tool has no required parameters, so it can be called without any additional information needed from the user.\n</thinking>\n\nOkay, I will update the current issue list:',
        tool_calls: [{ id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', type: 'function', function: { name: 'updateIssueList', arguments: '{}' } }],
        refusal: null,
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    });
    expect(mapped.finishReason).toEqual({ unified: 'tool_calls', raw: 'tool_use' });
  });

  it('turns a call of the JSON-mode tool into the answer’s content with finish_reason stop', () => {
    const mapped = map('anthropic-json-tool.1.json', 'json');
    const message = mapped.completion.choices[0]?.message;
    expect(message?.tool_calls).toBeUndefined();
    expect(JSON.parse(message?.content ?? '')).toEqual(fixture('anthropic-json-tool.1.json').content?.[0]?.input);
    expect(mapped.finishReason).toEqual({ unified: 'stop', raw: 'tool_use' });
    // Without JSON mode the same answer is an ordinary tool call.
    expect(map('anthropic-json-tool.1.json').completion.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('surfaces thinking as reasoning_content and thinking tokens as reasoning_tokens', () => {
    expect(map('anthropic-clear-thinking.1.json').completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: '925 ÷ 5 = 185',
      reasoning_content: '925 divided by 5 = 185',
      refusal: null,
    });
    const opus = map('anthropic-claude-opus-5-reasoning-high.1.json');
    expect(opus.completion.choices[0]?.message.reasoning_content).toMatch(/^I need to find all roots/);
    expect(opus.completion.usage).toEqual({
      prompt_tokens: 51,
      completion_tokens: 1699,
      total_tokens: 1750,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 139 },
    });
    expect(opus.usage?.reasoningTokens).toBe(139);
  });

  it('maps a refusal to content_filter with its explanation as `refusal`', () => {
    expect(map('anthropic-refusal.json').completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        refusal: "This request triggered restrictions on violative cyber content and was blocked under Anthropic's Usage Policy.",
      },
      logprobs: null,
      finish_reason: 'content_filter',
    });
    expect(map('anthropic-refusal-no-details.json').completion.choices[0]?.message).toEqual({ role: 'assistant', content: null, refusal: null });
  });

  it('counts cache reads and writes inside prompt_tokens and names them in the details', () => {
    const mapped = mapAnthropicResponse(
      {
        id: 'msg_1',
        model: 'claude-sonnet-4-5',
        content: [{ type: 'text', text: 'Hi' }],
        stop_reason: 'max_tokens',
        usage: { input_tokens: 10, cache_read_input_tokens: 1200, cache_creation_input_tokens: 300, output_tokens: 5 },
      },
      { created: CREATED, jsonToolName: undefined },
    );
    expect(mapped.completion.usage).toEqual({
      prompt_tokens: 1510,
      completion_tokens: 5,
      total_tokens: 1515,
      prompt_tokens_details: { cached_tokens: 1200, cache_creation_tokens: 300 },
    });
    expect(mapped.usage).toEqual({
      promptTokens: 1510,
      completionTokens: 5,
      totalTokens: 1515,
      cachedPromptTokens: 1200,
      cacheWritePromptTokens: 300,
    });
    expect(mapped.completion.choices[0]?.finish_reason).toBe('length');
  });

  it('ignores block types and fields it does not know', () => {
    const mapped = mapAnthropicResponse(
      {
        id: 'msg_2',
        model: 'claude-x',
        content: [
          { type: 'redacted_thinking' },
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
          { type: 'text', text: 'Found it.' },
        ],
        stop_reason: 'end_turn',
        future_field: { anything: true },
      } as AnthropicMessageResponse,
      { created: CREATED, jsonToolName: undefined },
    );
    expect(mapped.completion.choices[0]?.message).toEqual({ role: 'assistant', content: 'Found it.', refusal: null });
    expect(mapped.completion.usage).toBeUndefined();
  });
});
