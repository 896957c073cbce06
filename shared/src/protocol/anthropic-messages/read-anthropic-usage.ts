import { isJsonObject, type JsonValue } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';

/** The counts Anthropic reports, as far as they are known. */
export interface AnthropicUsageCounts {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

const COUNT_FIELDS = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const;

/**
 * Fold one `usage` object (a message's, message_start's or message_delta's) into `counts`.
 * Anthropic's counts are cumulative, so a later number replaces an earlier one; absent or
 * null fields leave what was known.
 */
export function mergeAnthropicUsageCounts(counts: AnthropicUsageCounts, raw: JsonValue | undefined): AnthropicUsageCounts {
  if (!isJsonObject(raw)) return counts;
  const merged = { ...counts };
  for (const field of COUNT_FIELDS) {
    const value = raw[field];
    if (typeof value === 'number' && Number.isFinite(value)) merged[field] = value;
  }
  return merged;
}

/**
 * Anthropic counts as gateway usage. Anthropic keeps cache reads and writes apart from
 * `input_tokens`; the gateway's prompt tokens include them, as OpenAI's do.
 */
export function usageFromAnthropicCounts(counts: AnthropicUsageCounts): Usage | undefined {
  if (counts.input_tokens === undefined && counts.output_tokens === undefined) return undefined;
  const cacheRead = counts.cache_read_input_tokens ?? 0;
  const cacheWrite = counts.cache_creation_input_tokens ?? 0;
  const promptTokens = (counts.input_tokens ?? 0) + cacheRead + cacheWrite;
  const completionTokens = counts.output_tokens ?? 0;
  const usage: Usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, cachedPromptTokens: cacheRead };
  if (cacheWrite > 0) usage.cacheWritePromptTokens = cacheWrite;
  return usage;
}
