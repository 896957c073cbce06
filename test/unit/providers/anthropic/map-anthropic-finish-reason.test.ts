import { describe, expect, it } from 'vitest';
import { mapAnthropicFinishReason } from '../../../../shared/src/providers/anthropic/map-anthropic-finish-reason.ts';
import { mergeAnthropicUsage } from '../../../../shared/src/providers/anthropic/map-anthropic-usage.ts';

describe('mapAnthropicFinishReason', () => {
  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['some_future_reason', 'stop'],
  ] as const)('maps %s to %s and keeps the raw value', (raw, unified) => {
    expect(mapAnthropicFinishReason(raw)).toEqual({ unified, raw });
  });

  it('says stop when the only tool called was the JSON-mode tool', () => {
    expect(mapAnthropicFinishReason('tool_use', true)).toEqual({ unified: 'stop', raw: 'tool_use' });
  });

  it('says stop with no raw value when the stream never gave a reason', () => {
    expect(mapAnthropicFinishReason(null)).toEqual({ unified: 'stop', raw: undefined });
  });
});

describe('mergeAnthropicUsage', () => {
  it('lets message_delta counts win where present, input_tokens included', () => {
    expect(
      mergeAnthropicUsage(
        { input_tokens: 43, output_tokens: 1, cache_read_input_tokens: 5 },
        { input_tokens: 61, output_tokens: 2, cache_read_input_tokens: null },
      ),
    ).toEqual({ input_tokens: 61, output_tokens: 2, cache_read_input_tokens: 5 });
  });
});
