import type { ChatToolCall } from '../../core/chat-types.ts';
import type { JsonObject } from '../../core/json.ts';

/**
 * A tool call as the gateway returns it for Gemini: OpenAI's shape, plus the thought signature
 * where Google's own OpenAI-compatible endpoint puts it, so callers that send the assistant
 * message back unchanged keep Gemini 3's reasoning across turns.
 */
export type GeminiChatToolCall = ChatToolCall & { extra_content?: { google: { thought_signature: string } } };

/**
 * Gemini function calls have no ids (or optional ones), so the gateway names them after the
 * response and their position: stable, the same streamed or not, and unique across turns.
 */
export function geminiToolCallId(responseKey: string, candidateIndex: number, callIndex: number, nativeId: string | undefined): string {
  if (nativeId !== undefined && nativeId !== '') return nativeId;
  return candidateIndex === 0 ? `call_${responseKey}_${callIndex}` : `call_${responseKey}_${candidateIndex}_${callIndex}`;
}

/** The `extra_content` field carrying a thought signature, or nothing when there is none. */
export function thoughtSignatureExtra(signature: string | undefined): Pick<GeminiChatToolCall, 'extra_content'> {
  return signature === undefined || signature === '' ? {} : { extra_content: { google: { thought_signature: signature } } };
}

/** A whole function call as an OpenAI tool call. */
export function toChatToolCall(id: string, name: string, args: JsonObject | undefined, signature: string | undefined): GeminiChatToolCall {
  return {
    id,
    type: 'function',
    function: { name, arguments: JSON.stringify(args ?? {}) },
    ...thoughtSignatureExtra(signature),
  };
}
