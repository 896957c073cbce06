import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { GeminiContent, GeminiPart } from './gemini-api-types.ts';
import { contentText, convertMessageContent } from './convert-content-part.ts';

/**
 * Gemini 3 refuses a function call replayed without the thought signature it came with
 * (400 "Function call is missing a thought_signature"). The gateway hands signatures to callers
 * in `tool_calls[].extra_content.google.thought_signature`, as Google's own OpenAI-compatible
 * endpoint does; callers that drop it get this documented sentinel instead, which tells Gemini
 * to skip the check (https://ai.google.dev/gemini-api/docs/thought-signatures).
 */
export const SKIP_THOUGHT_SIGNATURE = 'skip_thought_signature_validator';

export interface GeminiConversation {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiPart[] };
}

/** Gemini 3 and later validate thought signatures on replayed function calls. */
function validatesThoughtSignatures(model: string): boolean {
  const major = /gemini-(\d+)/.exec(model)?.[1];
  return major !== undefined && Number(major) >= 3;
}

function thoughtSignatureOf(toolCall: JsonObject): string | undefined {
  const extra = toolCall.extra_content;
  const google = isJsonObject(extra) ? extra.google : undefined;
  const signature = isJsonObject(google) ? google.thought_signature : undefined;
  return typeof signature === 'string' && signature !== '' ? signature : undefined;
}

function parseArguments(raw: JsonValue | undefined, param: string): JsonObject {
  if (raw === undefined || raw === null || raw === '') return {};
  if (isJsonObject(raw)) return raw;
  if (typeof raw === 'string') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isJsonObject(parsed)) return parsed;
    } catch {
      // Reported below with the parameter's path.
    }
  }
  throw new BadRequestError('Tool call arguments must be a JSON object.', 'invalid_tool_call', param);
}

/** An assistant message's tool calls as functionCall parts, remembering each call's name by id. */
function functionCallParts(toolCalls: JsonValue[], param: string, namesById: Map<string, string>, signRequired: boolean): GeminiPart[] {
  const parts: GeminiPart[] = [];
  toolCalls.forEach((toolCall, index) => {
    const where = `${param}[${index}]`;
    const fn = isJsonObject(toolCall) ? toolCall.function : undefined;
    if (!isJsonObject(toolCall) || !isJsonObject(fn) || typeof fn.name !== 'string') {
      throw new BadRequestError('A tool call needs function.name.', 'invalid_tool_call', where);
    }
    if (typeof toolCall.id === 'string') namesById.set(toolCall.id, fn.name);
    const part: GeminiPart = { functionCall: { name: fn.name, args: parseArguments(fn.arguments, `${where}.function.arguments`) } };
    const signature = thoughtSignatureOf(toolCall);
    if (signature !== undefined) part.thoughtSignature = signature;
    parts.push(part);
  });
  // Only the first call of a turn carries a signature (parallel calls share it).
  const first = parts[0];
  if (signRequired && first !== undefined && parts.every((part) => part.thoughtSignature === undefined)) {
    first.thoughtSignature = SKIP_THOUGHT_SIGNATURE;
  }
  return parts;
}

/**
 * A tool result as a functionResponse part. Gemini wants the function's name (found through the
 * earlier call's id) and an object: a JSON object result goes as it is, anything else under
 * `output`, the key Google documents for a function's output.
 */
function functionResponsePart(message: JsonObject, param: string, namesById: Map<string, string>): GeminiPart {
  const id = message.tool_call_id;
  const name = typeof id === 'string' ? namesById.get(id) : undefined;
  if (name === undefined) {
    throw new BadRequestError(
      `The tool message's tool_call_id "${String(id)}" matches no tool call of an earlier assistant message.`,
      'invalid_tool_message',
      `${param}.tool_call_id`,
    );
  }
  const text = contentText(message.content);
  let result: JsonValue = text;
  try {
    result = JSON.parse(text) as JsonValue;
  } catch {
    // Plain text output.
  }
  return { functionResponse: { name, response: isJsonObject(result) ? result : { output: result } } };
}

function append(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  // Gemini wants turns to alternate: consecutive messages of one role become one turn.
  if (last?.role === role) last.parts = [...(last.parts ?? []), ...parts];
  else contents.push({ role, parts });
}

/**
 * OpenAI messages as Gemini contents: system and developer messages become the system
 * instruction, user → user, assistant → model (text and functionCall parts), tool → user
 * with functionResponse parts. Assistant reasoning_content is not replayed (Gemini takes
 * thoughts back only through signatures).
 */
export function convertToGeminiContents(messages: JsonValue | undefined, model: string): GeminiConversation {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new BadRequestError('messages must be a non-empty array.', 'invalid_messages', 'messages');
  }
  const contents: GeminiContent[] = [];
  const system: GeminiPart[] = [];
  const namesById = new Map<string, string>();
  const signRequired = validatesThoughtSignatures(model);

  messages.forEach((message, index) => {
    const param = `messages[${index}]`;
    if (!isJsonObject(message)) throw new BadRequestError('A message must be an object.', 'invalid_message', param);
    switch (message.role) {
      case 'system':
      case 'developer': {
        const text = contentText(message.content);
        if (text !== '') system.push({ text });
        break;
      }
      case 'user':
        append(contents, 'user', convertMessageContent(message.content, `${param}.content`));
        break;
      case 'assistant': {
        const parts = convertMessageContent(message.content, `${param}.content`).filter((part) => part.text !== '');
        if (Array.isArray(message.tool_calls)) {
          parts.push(...functionCallParts(message.tool_calls, `${param}.tool_calls`, namesById, signRequired));
        }
        append(contents, 'model', parts);
        break;
      }
      case 'tool':
        append(contents, 'user', [functionResponsePart(message, param, namesById)]);
        break;
      default:
        throw new BadRequestError(`Gemini does not support messages with role "${String(message.role)}".`, 'invalid_message', `${param}.role`);
    }
  });

  const conversation: GeminiConversation = { contents };
  if (system.length > 0) conversation.systemInstruction = { parts: system };
  return conversation;
}
