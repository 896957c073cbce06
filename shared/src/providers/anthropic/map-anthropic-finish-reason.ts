import type { ChatFinishReason, FinishReason } from '../../core/chat-types.ts';

/**
 * Anthropic's stop reasons (https://docs.anthropic.com/en/api/handling-stop-reasons) in
 * OpenAI's terms. `pause_turn` (a server tool paused a long turn; the caller sends the
 * answer back to continue) has no OpenAI twin: the turn did end cleanly, so it is `stop`.
 * `model_context_window_exceeded` is a length cut like `max_tokens`.
 */
const FINISH_REASONS: Readonly<Record<string, ChatFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/**
 * Map an Anthropic stop reason, keeping the raw value. `answeredWithJsonTool` is true when
 * the only tool Claude called was the gateway's JSON-mode tool: that call is the answer,
 * so the caller sees `stop`, not `tool_calls`.
 */
export function mapAnthropicFinishReason(raw: string | null | undefined, answeredWithJsonTool = false): FinishReason {
  const stopReason = raw ?? undefined;
  if (stopReason === 'tool_use' && answeredWithJsonTool) return { unified: 'stop', raw: stopReason };
  const unified = stopReason === undefined ? 'stop' : (FINISH_REASONS[stopReason] ?? 'stop');
  return { unified, raw: stopReason };
}
