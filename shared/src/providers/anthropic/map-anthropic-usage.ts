import type { OpenAIUsage } from '../../core/chat-types.ts';
import type { Usage } from '../../core/usage.ts';
import type { AnthropicUsage } from './anthropic-api-types.ts';

export interface MappedUsage {
  /** The `usage` object the caller sees. */
  openai: OpenAIUsage;
  /** The gateway's own record, for budgets and logs. */
  usage: Usage;
}

function count(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/**
 * Anthropic counts cache reads and cache writes apart from `input_tokens`; OpenAI counts
 * cached tokens inside `prompt_tokens`. So every prompt token Claude read, whether from the
 * cache or not, goes into prompt_tokens, and the cache reads are named again in
 * `prompt_tokens_details.cached_tokens` (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching).
 */
export function mapAnthropicUsage(native: AnthropicUsage): MappedUsage {
  const cacheRead = count(native.cache_read_input_tokens);
  const cacheWrite = count(native.cache_creation_input_tokens);
  const promptTokens = count(native.input_tokens) + cacheRead + cacheWrite;
  const completionTokens = count(native.output_tokens);
  const thinkingTokens = native.output_tokens_details?.thinking_tokens;

  const openai: OpenAIUsage = {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: cacheWrite > 0 ? { cached_tokens: cacheRead, cache_creation_tokens: cacheWrite } : { cached_tokens: cacheRead },
  };
  const usage: Usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedPromptTokens: cacheRead };
  if (cacheWrite > 0) usage.cacheWritePromptTokens = cacheWrite;
  if (typeof thinkingTokens === 'number') {
    openai.completion_tokens_details = { reasoning_tokens: thinkingTokens };
    usage.reasoningTokens = thinkingTokens;
  }
  return { openai, usage };
}

/**
 * Fold a `message_delta` usage into what `message_start` said. The delta's counts are
 * cumulative and win where present; Anthropic sometimes revises input_tokens there too.
 */
export function mergeAnthropicUsage(start: AnthropicUsage, delta: AnthropicUsage | undefined): AnthropicUsage {
  if (delta === undefined) return start;
  const merged: AnthropicUsage = { ...start };
  if (typeof delta.input_tokens === 'number') merged.input_tokens = delta.input_tokens;
  if (typeof delta.output_tokens === 'number') merged.output_tokens = delta.output_tokens;
  if (typeof delta.cache_read_input_tokens === 'number') merged.cache_read_input_tokens = delta.cache_read_input_tokens;
  if (typeof delta.cache_creation_input_tokens === 'number') merged.cache_creation_input_tokens = delta.cache_creation_input_tokens;
  if (delta.output_tokens_details != null) merged.output_tokens_details = delta.output_tokens_details;
  return merged;
}
