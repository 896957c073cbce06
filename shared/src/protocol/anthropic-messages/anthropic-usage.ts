import type { Usage } from '../../core/usage.ts';
import type { AnthropicUsage } from './anthropic-messages-types.ts';

/**
 * Gateway usage in Anthropic's terms. OpenAI's prompt tokens include cached ones, while
 * Anthropic's `input_tokens` counts only the tokens that were neither read from nor written
 * to the cache, so the cache counts are taken out. Unknown usage is all zeros.
 */
export function anthropicUsage(usage: Usage | undefined): AnthropicUsage {
  const cacheRead = usage?.cachedPromptTokens ?? 0;
  const cacheWrite = usage?.cacheWritePromptTokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.promptTokens ?? 0) - cacheRead - cacheWrite),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    output_tokens: usage?.completionTokens ?? 0,
  };
}
