import type { OpenAIUsage } from '../../core/chat-types.ts';
import type { Usage } from '../../core/usage.ts';
import type { GeminiUsageMetadata } from './gemini-api-types.ts';

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Gemini's usageMetadata as the gateway records it, or undefined while it carries no counts yet. */
export function usageFromGemini(metadata: GeminiUsageMetadata | undefined): Usage | undefined {
  const prompt = count(metadata?.promptTokenCount);
  if (metadata === undefined || prompt === undefined) return undefined;
  // Tokens of tool-use prompts (search results and the like) are input the caller pays for.
  const promptTokens = prompt + (count(metadata.toolUsePromptTokenCount) ?? 0);
  const thoughts = count(metadata.thoughtsTokenCount);
  // Gemini counts thoughts apart from the answer; OpenAI counts reasoning inside completion tokens.
  const completionTokens = (count(metadata.candidatesTokenCount) ?? 0) + (thoughts ?? 0);
  const usage: Usage = {
    promptTokens,
    completionTokens,
    totalTokens: count(metadata.totalTokenCount) ?? promptTokens + completionTokens,
  };
  const cached = count(metadata.cachedContentTokenCount);
  if (cached !== undefined) usage.cachedPromptTokens = cached;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}

/** The gateway's usage in OpenAI's `usage` shape. */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const result: OpenAIUsage = {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.totalTokens,
  };
  if (usage.cachedPromptTokens !== undefined) result.prompt_tokens_details = { cached_tokens: usage.cachedPromptTokens };
  if (usage.reasoningTokens !== undefined) result.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return result;
}
