import type { ChatCompletion, ChatToolCall } from '../../core/chat-types.ts';
import type { JsonValue } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';
import type { CohereChatResponse } from './cohere-api-types.ts';
import { mapCohereFinishReason } from './map-cohere-finish-reason.ts';
import { toOpenAIUsage, usageFromCohere } from './map-cohere-usage.ts';

export interface ChatAnswerContext {
  /** The model the caller asked for: Cohere's answer does not name it. */
  model: string;
  /** Unix seconds. */
  created: number;
  /** Used when Cohere's answer has no id. */
  fallbackId: string;
}

/**
 * Cohere answers `"null"` as the arguments of a tool that takes none; OpenAI callers
 * JSON.parse arguments and expect an object.
 */
export function normaliseToolArguments(raw: string | null | undefined): string {
  const trimmed = raw?.trim() ?? '';
  return trimmed === '' || trimmed === 'null' ? '{}' : raw ?? '{}';
}

function toolCalls(response: CohereChatResponse): ChatToolCall[] {
  return (response.message?.tool_calls ?? []).map((call, index) => ({
    id: call.id ?? `call_${index}`,
    type: 'function',
    function: { name: call.function?.name ?? '', arguments: normaliseToolArguments(call.function?.arguments) },
  }));
}

type AnswerMessage = ChatCompletion['choices'][number]['message'] & { citations?: JsonValue[] };

/**
 * A Cohere v2 chat answer as an OpenAI chat completion. Text blocks become `content`,
 * thinking blocks `reasoning_content`; a `tool_plan` (the text Cohere writes before its tool
 * calls) is the content of that turn. Citations, which OpenAI has no field for, ride along on
 * the message as `citations` in Cohere's own shape.
 */
export function mapCohereChatResponse(response: CohereChatResponse, context: ChatAnswerContext): { completion: ChatCompletion; usage: Usage | undefined } {
  const blocks = response.message?.content ?? [];
  const text = blocks.filter((block) => block.type === 'text').map((block) => block.text ?? '').join('');
  const thinking = blocks.filter((block) => block.type === 'thinking').map((block) => block.thinking ?? '').join('');
  const plan = response.message?.tool_plan ?? '';
  const calls = toolCalls(response);
  const content = text !== '' ? text : plan !== '' ? plan : null;

  const message: AnswerMessage = { role: 'assistant', content };
  if (thinking !== '') message.reasoning_content = thinking;
  if (calls.length > 0) message.tool_calls = calls;
  message.refusal = null;
  const citations = response.message?.citations;
  if (Array.isArray(citations) && citations.length > 0) message.citations = citations;

  const usage = usageFromCohere(response.usage);
  const completion: ChatCompletion = {
    id: response.id ?? context.fallbackId,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: mapCohereFinishReason(response.finish_reason).unified }],
  };
  if (usage !== undefined) completion.usage = toOpenAIUsage(usage);
  return { completion, usage };
}
