import { BadGatewayError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import { usageFromOpenAI, type Usage } from '../../core/usage.ts';
import type { AnthropicContentBlock, AnthropicMessage } from './anthropic-messages-types.ts';
import { anthropicUsage } from './anthropic-usage.ts';
import { anthropicStopReason } from './map-stop-reason.ts';

/** `chatcmpl-abc` → `msg_abc`: Anthropic clients expect a `msg_` id; the provider's id stays traceable. */
export function anthropicMessageId(chatId: string): string {
  return `msg_${chatId.replace(/^chatcmpl-/, '')}`;
}

/**
 * Tool arguments as the object Anthropic's `input` must be. Arguments that are not a JSON
 * object (cut short by max_tokens, or a model's mistake) become `{}` rather than failing the
 * whole answer; the stop reason then says why.
 */
export function parseToolInput(argumentsText: string): JsonObject {
  try {
    const parsed: unknown = JSON.parse(argumentsText);
    return isJsonObject(parsed) ? (parsed as JsonObject) : {};
  } catch {
    return {};
  }
}

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toolUseBlocks(toolCalls: JsonValue | undefined, messageId: string): AnthropicContentBlock[] {
  if (!Array.isArray(toolCalls)) return [];
  return toolCalls.filter(isJsonObject).map((call, index) => {
    const fn = isJsonObject(call.function) ? call.function : {};
    return {
      type: 'tool_use',
      id: text(call.id) ?? `toolu_${messageId}_${index}`,
      name: typeof fn.name === 'string' ? fn.name : '',
      input: parseToolInput(typeof fn.arguments === 'string' ? fn.arguments : '{}'),
    };
  });
}

/**
 * A Chat Completions answer as an Anthropic message: reasoning → a thinking block, content
 * (or a refusal) → a text block, tool calls → tool_use blocks with parsed input. Only the
 * first choice is read; Anthropic has no `n`. `usage` is the provider's own reading when it
 * made one; otherwise the answer's `usage` field is read.
 */
export function convertChatCompletion(completion: JsonObject, usage: Usage | undefined): AnthropicMessage {
  const choice = Array.isArray(completion.choices) ? completion.choices[0] : undefined;
  const message = isJsonObject(choice) ? choice.message : undefined;
  if (!isJsonObject(choice) || !isJsonObject(message)) {
    throw new BadGatewayError('The provider answered without a message to convert to the Anthropic format.', 'invalid_upstream_response');
  }
  const id = anthropicMessageId(typeof completion.id === 'string' ? completion.id : 'unknown');
  const content: AnthropicContentBlock[] = [];
  const reasoning = text(message.reasoning_content);
  if (reasoning !== undefined) content.push({ type: 'thinking', thinking: reasoning, signature: '' });
  const answer = text(message.content);
  const refusal = answer === undefined ? text(message.refusal) : undefined;
  if (answer !== undefined || refusal !== undefined) content.push({ type: 'text', text: answer ?? refusal ?? '' });
  content.push(...toolUseBlocks(message.tool_calls, id));
  return {
    id,
    type: 'message',
    role: 'assistant',
    model: typeof completion.model === 'string' ? completion.model : '',
    content,
    // OpenAI reports a refusal with finish_reason `stop`; Anthropic names it.
    stop_reason: refusal !== undefined ? 'refusal' : anthropicStopReason(typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined),
    stop_sequence: null,
    usage: anthropicUsage(usage ?? usageFromOpenAI(completion.usage)),
  };
}
