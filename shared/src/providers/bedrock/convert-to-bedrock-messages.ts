import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { ContentBlock, Message, SystemContentBlock, ToolResultContentBlock } from './bedrock-api-types.ts';
import { convertBedrockImage } from './convert-bedrock-image.ts';

/** An OpenAI conversation in Converse terms. */
export interface BedrockConversation {
  system: SystemContentBlock[];
  messages: Message[];
  /** Whether the history holds tool calls or results (Converse then requires a toolConfig). */
  usesTools: boolean;
}

function invalid(message: string, param: string): BadRequestError {
  return new BadRequestError(message, 'invalid_messages', param);
}

/** Text and image parts of a user, tool or system message, as (text | image) pieces. */
function contentParts(content: JsonValue | undefined, param: string, allowImages: boolean): Array<{ text: string } | ContentBlock.ImageMember> {
  if (typeof content === 'string') return [{ text: content }];
  if (content === null || content === undefined) return [];
  if (!Array.isArray(content)) throw invalid(`${param} must be a string or an array of content parts.`, param);
  return content.map((part, index) => {
    const partParam = `${param}[${index}]`;
    if (!isJsonObject(part)) throw invalid(`${partParam} must be an object.`, partParam);
    if (part.type === 'text' && typeof part.text === 'string') return { text: part.text };
    if (part.type === 'image_url' && allowImages) {
      const imageUrl = part.image_url;
      const url = isJsonObject(imageUrl) ? imageUrl.url : imageUrl;
      if (typeof url !== 'string') throw invalid(`${partParam}.image_url.url must be a string.`, `${partParam}.image_url.url`);
      return convertBedrockImage(url, `${partParam}.image_url.url`);
    }
    throw new BadRequestError(
      `Bedrock does not support content parts of type "${String(part.type)}" here.`,
      'unsupported_content_part',
      `${partParam}.type`,
    );
  });
}

function parseToolArguments(raw: JsonValue | undefined, param: string): JsonValue {
  if (raw === undefined || raw === null || raw === '') return {};
  if (typeof raw !== 'string') throw invalid(`${param} must be a JSON string.`, param);
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    throw invalid(`${param} is not valid JSON.`, param);
  }
}

function assistantBlocks(message: JsonObject, param: string): ContentBlock[] {
  const blocks: ContentBlock[] = [];
  // Earlier reasoning (reasoning_content) is left out: Bedrock only accepts it back with the
  // signature it was issued with, which the OpenAI format has no place for.
  for (const part of contentParts(message.content, `${param}.content`, false)) {
    // Converse rejects blank text blocks; OpenAI clients send content "" beside tool calls.
    if (part.text === '') continue;
    blocks.push(part);
  }
  const toolCalls = message.tool_calls;
  if (toolCalls !== undefined && toolCalls !== null) {
    if (!Array.isArray(toolCalls)) throw invalid(`${param}.tool_calls must be an array.`, `${param}.tool_calls`);
    toolCalls.forEach((call, index) => {
      const callParam = `${param}.tool_calls[${index}]`;
      const fn = isJsonObject(call) ? call.function : undefined;
      if (!isJsonObject(call) || typeof call.id !== 'string' || !isJsonObject(fn) || typeof fn.name !== 'string') {
        throw invalid(`${callParam} must have an id and a function name.`, callParam);
      }
      blocks.push({ toolUse: { toolUseId: call.id, name: fn.name, input: parseToolArguments(fn.arguments, `${callParam}.function.arguments`) } });
    });
  }
  return blocks;
}

function toolResultBlock(message: JsonObject, param: string): ContentBlock.ToolResultMember {
  if (typeof message.tool_call_id !== 'string') throw invalid(`${param}.tool_call_id must be a string.`, `${param}.tool_call_id`);
  const content: ToolResultContentBlock[] = contentParts(message.content, `${param}.content`, true);
  return { toolResult: { toolUseId: message.tool_call_id, content } };
}

/**
 * Convert OpenAI messages to Converse: system and developer messages become `system` blocks
 * (wherever they stand), tool results become `toolResult` blocks in a user turn, and
 * consecutive turns of one role are merged because Converse requires roles to alternate.
 */
export function convertToBedrockMessages(raw: JsonValue | undefined): BedrockConversation {
  if (!Array.isArray(raw) || raw.length === 0) throw invalid('messages must be a non-empty array.', 'messages');
  const system: SystemContentBlock[] = [];
  const messages: Message[] = [];
  let usesTools = false;

  const append = (role: 'user' | 'assistant', content: ContentBlock[]): void => {
    if (content.length === 0) return;
    const last = messages.at(-1);
    if (last !== undefined && last.role === role && last.content !== undefined) last.content.push(...content);
    else messages.push({ role, content });
  };

  raw.forEach((message, index) => {
    const param = `messages[${index}]`;
    if (!isJsonObject(message)) throw invalid(`${param} must be an object.`, param);
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const part of contentParts(message.content, `${param}.content`, false)) {
          if (typeof part.text === 'string' && part.text !== '') system.push({ text: part.text });
        }
        break;
      case 'user':
        append('user', contentParts(message.content, `${param}.content`, true));
        break;
      case 'assistant': {
        const blocks = assistantBlocks(message, param);
        if (blocks.some((block) => 'toolUse' in block)) usesTools = true;
        append('assistant', blocks);
        break;
      }
      case 'tool':
        usesTools = true;
        append('user', [toolResultBlock(message, param)]);
        break;
      default:
        throw invalid(`${param}.role "${String(message.role)}" is not supported by Bedrock.`, `${param}.role`);
    }
  });
  return { system, messages, usesTools };
}
