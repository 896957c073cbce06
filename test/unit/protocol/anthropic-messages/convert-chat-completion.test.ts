import { describe, expect, it } from 'vitest';
import { BadGatewayError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { anthropicUsage } from '../../../../shared/src/protocol/anthropic-messages/anthropic-usage.ts';
import { convertChatCompletion, parseToolInput } from '../../../../shared/src/protocol/anthropic-messages/convert-chat-completion.ts';
import { anthropicStopReason } from '../../../../shared/src/protocol/anthropic-messages/map-stop-reason.ts';
import { fixtureText } from '../../../support/mock-upstream.ts';

const fixture = (name: string): JsonObject => JSON.parse(fixtureText(name)) as JsonObject;

function completion(message: JsonObject, finishReason: string | null = 'stop'): JsonObject {
  return { id: 'chatcmpl-abc', object: 'chat.completion', created: 1, model: 'gpt-x', choices: [{ index: 0, message, finish_reason: finishReason }] };
}

describe('convertChatCompletion', () => {
  it('converts a recorded OpenAI text answer', () => {
    const source = fixture('openai/openai-text.json');
    const text = ((source.choices as JsonObject[])[0]?.message as JsonObject).content;
    expect(convertChatCompletion(source, undefined)).toEqual({
      id: 'msg_D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4.1-nano-2025-04-14',
      content: [{ type: 'text', text }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 16, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 363 },
    });
  });

  it('converts a recorded reasoning + tool call answer into thinking and tool_use blocks', () => {
    const source = fixture('openai-compatible/xai-tool-call.json');
    const message = (source.choices as JsonObject[])[0]?.message as JsonObject;
    expect(convertChatCompletion(source, undefined)).toEqual({
      id: 'msg_acfa24c3-b556-0f2c-731e-64fb836d544b',
      type: 'message',
      role: 'assistant',
      model: 'grok-3-mini',
      content: [
        { type: 'thinking', thinking: message.reasoning_content, signature: '' },
        { type: 'tool_use', id: 'call_46427107', name: 'weather', input: { location: 'San Francisco' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      // 307 prompt tokens of which 244 came from the cache.
      usage: { input_tokens: 63, cache_creation_input_tokens: 0, cache_read_input_tokens: 244, output_tokens: 26 },
    });
  });

  it('prefers the usage the provider already read', () => {
    const converted = convertChatCompletion(completion({ role: 'assistant', content: 'Hi' }), {
      promptTokens: 100,
      completionTokens: 5,
      totalTokens: 105,
      cachedPromptTokens: 60,
      cacheWritePromptTokens: 30,
    });
    expect(converted.usage).toEqual({ input_tokens: 10, cache_creation_input_tokens: 30, cache_read_input_tokens: 60, output_tokens: 5 });
  });

  it('reports a refusal as text with stop_reason refusal', () => {
    const converted = convertChatCompletion(completion({ role: 'assistant', content: null, refusal: 'I cannot help with that.' }, 'stop'), undefined);
    expect(converted.content).toEqual([{ type: 'text', text: 'I cannot help with that.' }]);
    expect(converted.stop_reason).toBe('refusal');
  });

  it('gives tool calls without an id one, and broken arguments an empty input', () => {
    const converted = convertChatCompletion(
      completion({ role: 'assistant', content: '', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{"a": 1' } }] }, 'length'),
      undefined,
    );
    expect(converted.content).toEqual([{ type: 'tool_use', id: 'toolu_msg_abc_0', name: 'f', input: {} }]);
    expect(converted.stop_reason).toBe('max_tokens');
    expect(converted.usage).toEqual({ input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 });
  });

  it('refuses an answer without a message', () => {
    expect(() => convertChatCompletion({ id: 'x', choices: [] }, undefined)).toThrow(BadGatewayError);
  });
});

describe('parseToolInput', () => {
  it.each([
    ['{"city":"Oslo"}', { city: 'Oslo' }],
    ['', {}],
    ['[1,2]', {}],
    ['"text"', {}],
  ])('%j → %j', (text, input) => {
    expect(parseToolInput(text)).toEqual(input);
  });
});

describe('anthropicStopReason', () => {
  it.each([
    ['stop', 'end_turn'],
    ['length', 'max_tokens'],
    ['tool_calls', 'tool_use'],
    ['function_call', 'tool_use'],
    ['content_filter', 'refusal'],
    ['something_new', 'end_turn'],
    [null, 'end_turn'],
    ['toString', 'end_turn'],
  ])('%s → %s', (finish, stop) => {
    expect(anthropicStopReason(finish)).toBe(stop);
  });
});

describe('anthropicUsage', () => {
  it('counts unknown usage as zero and never goes below zero', () => {
    expect(anthropicUsage(undefined)).toEqual({ input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 });
    expect(anthropicUsage({ promptTokens: 5, completionTokens: 1, totalTokens: 6, cachedPromptTokens: 9 }).input_tokens).toBe(0);
  });
});
