import type { JsonObject } from '../core/json.ts';

/** Used when a request sets no `max_tokens`; operators can change it per deployment. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;

/** About four characters per token for English text and JSON; an estimate that errs high is the safe side for a reservation. */
const CHARACTERS_PER_TOKEN = 4;

/** The prompt's token count estimated from the body's text (messages, prompt or input), without a tokenizer. */
export function estimatePromptTokens(body: JsonObject | undefined): number {
  if (body === undefined) return 0;
  const prompt = body.messages ?? body.prompt ?? body.input ?? body.system;
  if (prompt === undefined || prompt === null) return 0;
  const text = typeof prompt === 'string' ? prompt : JSON.stringify(prompt);
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

/** The output a request may produce at most: its `max_tokens` / `max_completion_tokens` / `max_output_tokens`, else the default. */
export function maxOutputTokens(body: JsonObject | undefined, fallback: number = DEFAULT_MAX_OUTPUT_TOKENS): number {
  for (const name of ['max_completion_tokens', 'max_tokens', 'max_output_tokens']) {
    const value = body?.[name];
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return Math.ceil(value);
  }
  return fallback;
}
