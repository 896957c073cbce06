import type { OpenAIUsage } from '../../core/chat-types.ts';
import type { Usage } from '../../core/usage.ts';
import type { CohereUsage } from './cohere-api-types.ts';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Cohere reports two counts: `tokens` (what the model processed, including its own prompt
 * template) and `billed_units` (what is charged). The gateway reports `tokens`, like the
 * other providers' raw token counts, and falls back to `billed_units` when it is missing.
 */
export function usageFromCohere(raw: CohereUsage | null | undefined): Usage | undefined {
  if (raw === null || raw === undefined) return undefined;
  const tokens = raw.tokens ?? undefined;
  const billed = raw.billed_units ?? undefined;
  const promptTokens = count(tokens?.input_tokens) ?? count(billed?.input_tokens);
  const completionTokens = count(tokens?.output_tokens) ?? count(billed?.output_tokens);
  if (promptTokens === undefined && completionTokens === undefined) return undefined;
  const usage: Usage = {
    promptTokens: promptTokens ?? 0,
    completionTokens: completionTokens ?? 0,
    totalTokens: (promptTokens ?? 0) + (completionTokens ?? 0),
  };
  const cached = count(raw.cached_tokens);
  if (cached !== undefined) usage.cachedPromptTokens = cached;
  return usage;
}

/** The gateway's usage in OpenAI's `usage` shape. */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const openAI: OpenAIUsage = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedPromptTokens !== undefined) openAI.prompt_tokens_details = { cached_tokens: usage.cachedPromptTokens };
  return openAI;
}
