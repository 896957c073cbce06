/** Token usage as the gateway records it, whatever shape the provider reported. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens served from the provider's prompt cache. */
  cachedPromptTokens?: number;
  /** Prompt tokens written to the provider's prompt cache. */
  cacheWritePromptTokens?: number;
  reasoningTokens?: number;
}

interface OpenAIUsageShape {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
  total_tokens?: unknown;
  input_tokens?: unknown;
  output_tokens?: unknown;
  prompt_tokens_details?: { cached_tokens?: unknown } | null;
  completion_tokens_details?: { reasoning_tokens?: unknown } | null;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Read an OpenAI-style `usage` object (chat, completions, embeddings, images) leniently. */
export function usageFromOpenAI(raw: unknown): Usage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const usage = raw as OpenAIUsageShape;
  const promptTokens = count(usage.prompt_tokens) ?? count(usage.input_tokens);
  const completionTokens = count(usage.completion_tokens) ?? count(usage.output_tokens) ?? 0;
  if (promptTokens === undefined) return undefined;
  const result: Usage = {
    promptTokens,
    completionTokens,
    totalTokens: count(usage.total_tokens) ?? promptTokens + completionTokens,
  };
  const cached = count(usage.prompt_tokens_details?.cached_tokens);
  if (cached !== undefined) result.cachedPromptTokens = cached;
  const reasoning = count(usage.completion_tokens_details?.reasoning_tokens);
  if (reasoning !== undefined) result.reasoningTokens = reasoning;
  return result;
}
