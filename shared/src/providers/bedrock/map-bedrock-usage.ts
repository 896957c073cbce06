import type { OpenAIUsage } from '../../core/chat-types.ts';
import type { Usage } from '../../core/usage.ts';
import type { TokenUsage } from './bedrock-api-types.ts';

/**
 * Converse token counts as the gateway records them and as OpenAI reports them. Bedrock's
 * `inputTokens` leaves out prompt-cache reads and writes while OpenAI's `prompt_tokens`
 * includes cached tokens, so the prompt count is the sum of the three.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_TokenUsage.html
 */
export function mapBedrockUsage(usage: TokenUsage | undefined): { usage: Usage; openai: OpenAIUsage } | undefined {
  if (usage === undefined || typeof usage.inputTokens !== 'number') return undefined;
  const cacheRead = usage.cacheReadInputTokens;
  const cacheWrite = usage.cacheWriteInputTokens;
  const promptTokens = usage.inputTokens + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const completionTokens = usage.outputTokens ?? 0;
  const totalTokens = promptTokens + completionTokens;
  const gateway: Usage = { promptTokens, completionTokens, totalTokens };
  const openai: OpenAIUsage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: totalTokens };
  if (cacheRead !== undefined || cacheWrite !== undefined) {
    openai.prompt_tokens_details = {};
    if (cacheRead !== undefined) {
      gateway.cachedPromptTokens = cacheRead;
      openai.prompt_tokens_details.cached_tokens = cacheRead;
    }
    if (cacheWrite !== undefined) {
      gateway.cacheWritePromptTokens = cacheWrite;
      openai.prompt_tokens_details.cache_creation_tokens = cacheWrite;
    }
  }
  return { usage: gateway, openai };
}
