import type { ChatContentPart, ChatMessage, ChatToolCall } from '../../core/chat-types.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import { convertDocumentBlock, convertImageBlock } from './convert-media-blocks.ts';
import { invalidField, onlyAnthropic, readBlocks, readString, type TypedBlock } from './read-messages-fields.ts';

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** One text part is sent as a plain string: every OpenAI-compatible server accepts that form. */
function collapse(parts: ChatContentPart[]): string | ChatContentPart[] {
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only !== undefined && only.type === 'text' && 'text' in only && typeof only.text === 'string') return only.text;
  return parts;
}

/**
 * A tool_result as a `tool` message. OpenAI tool messages hold text only, so images and
 * documents in the result are returned as attachments for the user message that follows.
 * `is_error` has no OpenAI counterpart and is dropped; the result's text says what failed.
 */
function convertToolResult(block: TypedBlock, param: string): { message: ChatMessage; attachments: ChatContentPart[] } {
  const toolCallId = readString(block, 'tool_use_id', param);
  const content = block.content;
  if (content === undefined || content === null) return { message: { role: 'tool', tool_call_id: toolCallId, content: '' }, attachments: [] };
  if (typeof content === 'string') return { message: { role: 'tool', tool_call_id: toolCallId, content }, attachments: [] };
  const texts: string[] = [];
  const attachments: ChatContentPart[] = [];
  readBlocks(content, `${param}.content`).forEach((inner, index) => {
    const at = `${param}.content[${index}]`;
    if (inner.type === 'text') texts.push(readString(inner, 'text', at));
    else if (inner.type === 'image') attachments.push(convertImageBlock(inner, at));
    else if (inner.type === 'document') attachments.push(convertDocumentBlock(inner, at));
    else throw onlyAnthropic(`${at}.type`, `A tool result block of type "${inner.type}"`);
  });
  return { message: { role: 'tool', tool_call_id: toolCallId, content: texts.join('\n') }, attachments };
}

/**
 * A user turn. Its tool results come first as `tool` messages, because OpenAI wants them
 * right after the assistant message whose tool calls they answer; the turn's other blocks
 * follow as one user message.
 */
export function convertUserTurn(content: JsonValue | undefined, param: string): ChatMessage[] {
  if (typeof content === 'string') return [{ role: 'user', content }];
  const toolMessages: ChatMessage[] = [];
  const parts: ChatContentPart[] = [];
  readBlocks(content, param).forEach((block, index) => {
    const at = `${param}[${index}]`;
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: readString(block, 'text', at) });
        break;
      case 'image':
        parts.push(convertImageBlock(block, at));
        break;
      case 'document':
        parts.push(convertDocumentBlock(block, at));
        break;
      case 'tool_result': {
        const result = convertToolResult(block, at);
        toolMessages.push(result.message);
        parts.push(...result.attachments);
        break;
      }
      default:
        throw onlyAnthropic(`${at}.type`, `A user content block of type "${block.type}"`);
    }
  });
  return parts.length === 0 ? toolMessages : [...toolMessages, { role: 'user', content: collapse(parts) }];
}

/**
 * An assistant turn: text blocks become the content, tool_use blocks the tool calls.
 * Thinking blocks are dropped: their signatures mean something only to Anthropic, and
 * OpenAI-compatible servers refuse reasoning text sent back to them.
 */
export function convertAssistantTurn(content: JsonValue | undefined, param: string): ChatMessage {
  if (typeof content === 'string') return { role: 'assistant', content };
  const texts: ChatContentPart[] = [];
  const toolCalls: ChatToolCall[] = [];
  readBlocks(content, param).forEach((block, index) => {
    const at = `${param}[${index}]`;
    switch (block.type) {
      case 'text':
        texts.push({ type: 'text', text: readString(block, 'text', at) });
        break;
      case 'tool_use': {
        const input = block.input ?? {};
        if (!isJsonObject(input)) throw invalidField(`${at}.input`, 'an object');
        toolCalls.push({ id: readString(block, 'id', at), type: 'function', function: { name: readString(block, 'name', at), arguments: JSON.stringify(input) } });
        break;
      }
      case 'thinking':
      case 'redacted_thinking':
        break;
      default:
        throw onlyAnthropic(`${at}.type`, `An assistant content block of type "${block.type}"`);
    }
  });
  const message: AssistantMessage = { role: 'assistant', content: texts.length > 0 ? collapse(texts) : toolCalls.length > 0 ? null : '' };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return message;
}

/** The `system` prompt (a string or text blocks) as one system message; none when empty. */
export function convertSystemPrompt(system: JsonValue | undefined): ChatMessage | undefined {
  if (system === undefined || system === null) return undefined;
  if (typeof system === 'string') return system === '' ? undefined : { role: 'system', content: system };
  const texts = readBlocks(system, 'system').map((block, index) => {
    const at = `system[${index}]`;
    if (block.type !== 'text') throw invalidField(`${at}.type`, '"text"');
    return readString(block, 'text', at);
  });
  return texts.length === 0 ? undefined : { role: 'system', content: texts.join('\n') };
}

/** The conversation: user and assistant turns in order, each as one or more chat messages. */
export function convertConversation(messages: JsonValue | undefined): ChatMessage[] {
  if (!Array.isArray(messages) || messages.length === 0) throw invalidField('messages', 'a non-empty array of messages');
  return messages.flatMap((message, index) => {
    const at = `messages[${index}]`;
    if (!isJsonObject(message)) throw invalidField(at, 'an object');
    if (message.role === 'user') return convertUserTurn(message.content, `${at}.content`);
    if (message.role === 'assistant') return [convertAssistantTurn(message.content, `${at}.content`)];
    throw invalidField(`${at}.role`, '"user" or "assistant"');
  });
}
