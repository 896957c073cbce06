import type { ChatFinishReason, FinishReason } from '../../core/chat-types.ts';

/**
 * Converse stop reasons in OpenAI's terms.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_ResponseSyntax
 * `malformed_model_output` and `malformed_tool_use` have no OpenAI counterpart: the answer
 * ended, so they read as `stop`, with the raw value kept beside it.
 */
const UNIFIED: Readonly<Record<string, ChatFinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};

/**
 * Map a Converse stopReason. In JSON mode the answer arrives as a call of the gateway's own
 * `json` tool, so `tool_use` means "stop" unless the model also called one of the caller's tools.
 */
export function mapBedrockFinishReason(stopReason: string | undefined, options: { answeredWithJsonTool?: boolean; calledCallerTools?: boolean } = {}): FinishReason {
  let unified = stopReason === undefined ? 'stop' : (UNIFIED[stopReason] ?? 'stop');
  if (unified === 'tool_calls' && options.answeredWithJsonTool === true && options.calledCallerTools !== true) unified = 'stop';
  return { unified, raw: stopReason };
}
