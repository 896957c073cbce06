import type { JsonObject } from '../core/json.ts';
import type { Usage } from '../core/usage.ts';

/** The gateway's Usage as OpenAI's `usage` object. */
export function openAIUsageJson(usage: Usage): JsonObject {
  const json: JsonObject = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedPromptTokens !== undefined) json.prompt_tokens_details = { cached_tokens: usage.cachedPromptTokens };
  if (usage.reasoningTokens !== undefined) json.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return json;
}
