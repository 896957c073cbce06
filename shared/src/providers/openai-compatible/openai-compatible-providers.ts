import { BadRequestError } from '../../core/gateway-error.ts';
import { createAzureOpenAIProvider } from '../azure-openai/azure-openai-provider.ts';
import type { FetchFunction, ProviderModel, ResolvedTarget } from '../provider-model.ts';
import { createOpenAICompatibleProvider, type OpenAICompatibleSpec } from './openai-compatible-provider.ts';

/** `Authorization: Bearer <key>`, the scheme nearly every OpenAI-compatible provider uses. */
export function authenticateWithBearer(headers: Headers, target: ResolvedTarget): void {
  if (target.apiKey !== undefined && target.apiKey !== '') headers.set('authorization', `Bearer ${target.apiKey}`);
}

// Cloudflare account ids are 32 hex characters; checking the shape keeps a crafted value from
// changing the URL's path.
const WORKERS_AI_ACCOUNT_ID = /^[A-Za-z0-9]{1,64}$/;

function workersAiBaseUrl(target: ResolvedTarget): string {
  const accountId = target.options.workers_ai_account_id;
  if (accountId === undefined || accountId === '') {
    throw new BadRequestError(
      'Workers AI needs a Cloudflare account id: set workers_ai_account_id in the config or the x-portkey-workers-ai-account-id header.',
      'missing_provider_setting',
      'workers_ai_account_id',
    );
  }
  if (!WORKERS_AI_ACCOUNT_ID.test(accountId)) {
    throw new BadRequestError('workers_ai_account_id must be a Cloudflare account id (letters and digits).', 'invalid_provider_setting', 'workers_ai_account_id');
  }
  return `https://api.cloudflare.com/client/v4/accounts/${accountId}/ai/v1`;
}

interface SpecInput {
  baseUrl: string | ((target: ResolvedTarget) => string);
  requiresApiKey?: boolean;
  supportsStreamUsage?: boolean;
}

/**
 * The OpenAI-compatible family: base URL and quirks per provider. All use Bearer keys.
 * supportsStreamUsage is true unless a provider is known to refuse `stream_options`.
 */
const SPEC_INPUTS: Readonly<Record<string, SpecInput>> = {
  openai: { baseUrl: 'https://api.openai.com/v1' },
  groq: { baseUrl: 'https://api.groq.com/openai/v1' },
  'together-ai': { baseUrl: 'https://api.together.xyz/v1' },
  // Mistral validates strictly and answers 422 "extra_forbidden" to stream_options; it puts
  // usage on its last chunk unasked. https://github.com/avante-corp/avante.nvim/issues/2347
  'mistral-ai': { baseUrl: 'https://api.mistral.ai/v1', supportsStreamUsage: false },
  cerebras: { baseUrl: 'https://api.cerebras.ai/v1' },
  sambanova: { baseUrl: 'https://api.sambanova.ai/v1' },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1' },
  'x-ai': { baseUrl: 'https://api.x.ai/v1' },
  deepinfra: { baseUrl: 'https://api.deepinfra.com/v1/openai' },
  'fireworks-ai': { baseUrl: 'https://api.fireworks.ai/inference/v1' },
  // Perplexity documents no stream_options and reports usage on its stream chunks unasked
  // (https://docs.perplexity.ai/guides/streaming-responses), so nothing needs adding.
  'perplexity-ai': { baseUrl: 'https://api.perplexity.ai', supportsStreamUsage: false },
  ollama: { baseUrl: 'http://localhost:11434/v1', requiresApiKey: false },
  'local-ai': { baseUrl: 'http://localhost:8080/v1', requiresApiKey: false },
  github: { baseUrl: 'https://models.github.ai/inference' },
  // Text Generation Inference endpoints are reached through custom_host.
  huggingface: { baseUrl: 'https://router.huggingface.co/v1' },
  'workers-ai': { baseUrl: workersAiBaseUrl },
  deepseek: { baseUrl: 'https://api.deepseek.com/v1' },
  'nvidia-nim': { baseUrl: 'https://integrate.api.nvidia.com/v1' },
};

function toSpec(id: string, input: SpecInput): OpenAICompatibleSpec {
  const { baseUrl } = input;
  return {
    id,
    baseUrl: typeof baseUrl === 'string' ? () => baseUrl : baseUrl,
    authenticate: authenticateWithBearer,
    requiresApiKey: input.requiresApiKey ?? true,
    supportsStreamUsage: input.supportsStreamUsage ?? true,
  };
}

/** Every table-driven OpenAI-compatible provider, by provider id (Azure is separate). */
export const OPENAI_COMPATIBLE_SPECS: ReadonlyMap<string, OpenAICompatibleSpec> = new Map(
  Object.entries(SPEC_INPUTS).map(([id, input]) => [id, toSpec(id, input)]),
);

/** ProviderModels for the whole OpenAI-compatible family, Azure OpenAI included. */
export function createOpenAICompatibleProviders(deps: { fetch: FetchFunction }): ProviderModel[] {
  return [
    ...[...OPENAI_COMPATIBLE_SPECS.values()].map((spec) => createOpenAICompatibleProvider(spec, deps)),
    createAzureOpenAIProvider(deps),
  ];
}
