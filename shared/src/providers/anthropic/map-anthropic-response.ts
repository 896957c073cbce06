import type { ChatCompletion, ChatToolCall, FinishReason } from '../../core/chat-types.ts';
import type { Usage } from '../../core/usage.ts';
import type { AnthropicMessageResponse } from './anthropic-api-types.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { mapAnthropicUsage } from './map-anthropic-usage.ts';

export interface AnthropicAnswerContext {
  /** Unix seconds for `created`. */
  created: number;
  /** The JSON-mode tool's name, when the request used JSON mode. */
  jsonToolName: string | undefined;
}

export interface MappedAnthropicResponse {
  completion: ChatCompletion;
  usage: Usage | undefined;
  finishReason: FinishReason;
}

/**
 * A refusal's explanation, surfaced as OpenAI's `refusal` text so that callers who check it
 * (the OpenAI SDKs' structured-output helpers do) see why there is no answer.
 */
export function refusalText(stopReason: string | null | undefined, explanation: unknown): string | null {
  return stopReason === 'refusal' && typeof explanation === 'string' && explanation !== '' ? explanation : null;
}

/**
 * An Anthropic Messages answer as an OpenAI chat completion. Text blocks join into
 * `content`, thinking blocks into `reasoning_content`, tool_use blocks become `tool_calls`
 * (their input serialised as the arguments string) except a call of the JSON-mode tool,
 * whose input is the answer itself and so becomes `content`.
 */
export function mapAnthropicResponse(native: AnthropicMessageResponse, context: AnthropicAnswerContext): MappedAnthropicResponse {
  let content: string | null = null;
  let reasoning: string | undefined;
  const toolCalls: ChatToolCall[] = [];
  let answeredWithJsonTool = false;

  for (const block of native.content ?? []) {
    if (block.type === 'text' && typeof block.text === 'string') {
      content = (content ?? '') + block.text;
    } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      reasoning = (reasoning ?? '') + block.thinking;
    } else if (block.type === 'tool_use') {
      const args = JSON.stringify(block.input ?? {});
      if (context.jsonToolName !== undefined && block.name === context.jsonToolName) {
        content = (content ?? '') + args;
        answeredWithJsonTool = true;
      } else {
        toolCalls.push({ id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: args } });
      }
    }
    // redacted_thinking, server tool blocks and any future block types have no OpenAI form.
  }

  const finishReason = mapAnthropicFinishReason(native.stop_reason, answeredWithJsonTool && toolCalls.length === 0);
  const message: ChatCompletion['choices'][number]['message'] = { role: 'assistant', content };
  if (reasoning !== undefined) message.reasoning_content = reasoning;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  message.refusal = refusalText(native.stop_reason, native.stop_details?.explanation);

  const mapped = native.usage === undefined ? undefined : mapAnthropicUsage(native.usage);
  const completion: ChatCompletion = {
    id: native.id ?? '',
    object: 'chat.completion',
    created: context.created,
    model: native.model ?? '',
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason.unified }],
  };
  if (mapped !== undefined) completion.usage = mapped.openai;
  return { completion, usage: mapped?.usage, finishReason };
}
