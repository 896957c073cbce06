import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { CohereImageContent, CohereMessage, CohereTextContent, CohereToolCall } from './cohere-api-types.ts';

function invalid(message: string, param: string): BadRequestError {
  return new BadRequestError(message, 'invalid_request', param);
}

function unsupportedPart(type: string, param: string): BadRequestError {
  return new BadRequestError(`cohere does not support content parts of type "${type}".`, 'unsupported_content', param);
}

function textPart(part: JsonObject, param: string): CohereTextContent {
  if (typeof part.text !== 'string') throw invalid('A text part needs a string `text`.', `${param}.text`);
  return { type: 'text', text: part.text };
}

/** Content that may only hold text: a string, or text parts kept as Cohere text parts. */
function textContent(content: JsonValue | undefined, param: string): string | CohereTextContent[] {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalid('Message content must be a string or an array of parts.', param);
  return content.map((part, index) => {
    const partParam = `${param}[${index}]`;
    if (!isJsonObject(part)) throw invalid('A content part must be an object.', partParam);
    if (part.type !== 'text') throw unsupportedPart(String(part.type), partParam);
    return textPart(part, partParam);
  });
}

function joinText(content: string | CohereTextContent[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

/** User content: text and, for Cohere's vision models, `image_url` parts in OpenAI's own shape. */
function userContent(content: JsonValue | undefined, param: string): string | Array<CohereTextContent | CohereImageContent> {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalid('Message content must be a string or an array of parts.', param);
  return content.map((part, index): CohereTextContent | CohereImageContent => {
    const partParam = `${param}[${index}]`;
    if (!isJsonObject(part)) throw invalid('A content part must be an object.', partParam);
    if (part.type === 'text') return textPart(part, partParam);
    if (part.type !== 'image_url') throw unsupportedPart(String(part.type), partParam);
    const image = part.image_url;
    if (!isJsonObject(image) || typeof image.url !== 'string') throw invalid('An image part needs `image_url.url`.', `${partParam}.image_url`);
    const detail = image.detail;
    return {
      type: 'image_url',
      image_url: detail === 'auto' || detail === 'low' || detail === 'high' ? { url: image.url, detail } : { url: image.url },
    };
  });
}

function toolCalls(value: JsonValue | undefined, param: string): CohereToolCall[] {
  if (!Array.isArray(value)) throw invalid('`tool_calls` must be an array.', param);
  return value.map((call, index) => {
    const callParam = `${param}[${index}]`;
    const fn = isJsonObject(call) ? call.function : undefined;
    if (!isJsonObject(call) || typeof call.id !== 'string' || !isJsonObject(fn) || typeof fn.name !== 'string') {
      throw invalid('A tool call needs an `id` and a `function.name`.', callParam);
    }
    return {
      id: call.id,
      type: 'function',
      function: { name: fn.name, arguments: typeof fn.arguments === 'string' ? fn.arguments : '{}' },
    };
  });
}

/**
 * An assistant turn. With tool calls, Cohere wants the text beside them in `tool_plan` (its
 * answers put it there too), so text and calls survive a round trip in both directions.
 * `reasoning_content` is not sent back: Cohere does not need earlier thinking.
 */
function assistantMessage(message: JsonObject, param: string): CohereMessage {
  const content = message.content === undefined || message.content === null ? undefined : textContent(message.content, `${param}.content`);
  const calls = message.tool_calls === undefined || message.tool_calls === null ? [] : toolCalls(message.tool_calls, `${param}.tool_calls`);
  if (calls.length === 0) return { role: 'assistant', content: content ?? '' };
  const plan = content === undefined ? '' : joinText(content);
  return plan === '' ? { role: 'assistant', tool_calls: calls } : { role: 'assistant', tool_calls: calls, tool_plan: plan };
}

/** Convert OpenAI chat messages to Cohere v2 messages (https://docs.cohere.com/reference/chat). */
export function convertToCohereMessages(messages: JsonValue | undefined): CohereMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) throw invalid('`messages` must be a non-empty array.', 'messages');
  return messages.map((message, index): CohereMessage => {
    const param = `messages[${index}]`;
    if (!isJsonObject(message)) throw invalid('A message must be an object.', param);
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textContent(message.content, `${param}.content`) };
      case 'user':
        return { role: 'user', content: userContent(message.content, `${param}.content`) };
      case 'assistant':
        return assistantMessage(message, param);
      case 'tool':
        if (typeof message.tool_call_id !== 'string') throw invalid('A tool message needs a `tool_call_id`.', `${param}.tool_call_id`);
        return { role: 'tool', tool_call_id: message.tool_call_id, content: textContent(message.content, `${param}.content`) };
      default:
        throw invalid(`cohere does not support messages with role "${String(message.role)}".`, `${param}.role`);
    }
  });
}
