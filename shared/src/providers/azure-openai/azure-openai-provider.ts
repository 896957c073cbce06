import type { FetchFunction, ProviderModel, ResolvedTarget } from '../provider-model.ts';
import { createOpenAICompatibleProvider, type OpenAICompatibleSpec } from '../openai-compatible/openai-compatible-provider.ts';
import { azureOpenAIUrl } from './azure-openai-url.ts';

/**
 * Azure takes its key in `api-key`; with azure_auth_mode 'entra' the credential is a
 * Microsoft Entra ID access token and goes in `Authorization: Bearer`.
 */
export function authenticateAzureOpenAI(headers: Headers, target: ResolvedTarget): void {
  if (target.apiKey === undefined || target.apiKey === '') return;
  if (target.options.azure_auth_mode === 'entra') headers.set('authorization', `Bearer ${target.apiKey}`);
  else headers.set('api-key', target.apiKey);
}

export const AZURE_OPENAI_SPEC: OpenAICompatibleSpec = {
  id: 'azure-openai',
  // Only used for errors and logs: resolveUrl builds the real URL from the target's settings.
  baseUrl: () => 'https://{resource_name}.openai.azure.com/openai',
  authenticate: authenticateAzureOpenAI,
  requiresApiKey: true,
  supportsStreamUsage: true,
  resolveUrl: azureOpenAIUrl,
};

/** The Azure OpenAI provider: the OpenAI wire format with Azure's URLs and auth. */
export function createAzureOpenAIProvider(deps: { fetch: FetchFunction; now?: () => number }): ProviderModel {
  return createOpenAICompatibleProvider(AZURE_OPENAI_SPEC, deps);
}
