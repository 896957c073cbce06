import type { ChatFinishReason } from '../../core/chat-types.ts';
import type { AnthropicStopReason } from './anthropic-messages-types.ts';

const STOP_REASONS: Readonly<Record<ChatFinishReason, AnthropicStopReason>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
  content_filter: 'refusal',
};

/**
 * An OpenAI finish reason as Anthropic's stop reason. OpenAI's `stop` does not say whether a
 * stop sequence ended the turn, so it is always `end_turn` (with `stop_sequence: null`);
 * a missing or unknown reason is `end_turn` too, since the answer did end.
 */
export function anthropicStopReason(finishReason: string | null | undefined): AnthropicStopReason {
  if (finishReason !== null && finishReason !== undefined && Object.hasOwn(STOP_REASONS, finishReason)) {
    return STOP_REASONS[finishReason as ChatFinishReason];
  }
  return 'end_turn';
}
