import type { FinishReason } from '../../core/chat-types.ts';

/**
 * Gemini's reasons for stopping that mean "a safety or policy filter cut the answer"
 * (https://ai.google.dev/api/generate-content#FinishReason).
 */
const FILTERED: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

/**
 * Map a candidate's finishReason to OpenAI's. Gemini says STOP after function calls too, so
 * `hasToolCalls` turns that into `tool_calls`. Reasons without an OpenAI twin (LANGUAGE,
 * MALFORMED_FUNCTION_CALL, OTHER, ...) become `stop`, with the raw value kept beside it.
 */
export function mapGeminiFinishReason(raw: string | undefined, hasToolCalls: boolean): FinishReason {
  if (raw === 'MAX_TOKENS') return { unified: 'length', raw };
  if (raw !== undefined && FILTERED.has(raw)) return { unified: 'content_filter', raw };
  return { unified: hasToolCalls ? 'tool_calls' : 'stop', raw };
}
