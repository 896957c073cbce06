import { BadRequestError } from '../../core/gateway-error.ts';
import type { Endpoint } from '../../core/endpoint.ts';
import type { ProviderRequest } from '../provider-model.ts';

/**
 * The newest generally available data-plane version when this was written; callers choose
 * another with api_version / x-portkey-azure-api-version.
 * https://learn.microsoft.com/azure/ai-services/openai/api-version-deprecation
 */
export const DEFAULT_AZURE_API_VERSION = '2024-10-21';

/** Operations that run on one deployment; the rest (models, files, batches) are resource-wide. */
const DEPLOYMENT_ENDPOINTS: ReadonlySet<Endpoint> = new Set([
  'chat.completions',
  'completions',
  'embeddings',
  'images.generations',
  'audio.speech',
  'audio.transcriptions',
  'audio.translations',
]);

// An Azure resource name is one DNS label. Checking it keeps a crafted value (say
// "evil.example#") from sending the api-key to another host.
const RESOURCE_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})$/;

function requiredSetting(value: string | undefined, setting: string, header: string): string {
  if (value === undefined || value === '') {
    throw new BadRequestError(
      `Azure OpenAI needs ${setting}: set it in the config or send the ${header} header.`,
      'missing_provider_setting',
      setting,
    );
  }
  return value;
}

function azureHost(request: ProviderRequest): string {
  if (request.target.customHost !== undefined) return request.target.customHost.replace(/\/+$/, '');
  const resource = requiredSetting(request.target.options.resource_name, 'resource_name', 'x-portkey-azure-resource-name');
  if (!RESOURCE_NAME.test(resource)) {
    throw new BadRequestError('resource_name must be an Azure resource name (letters, digits and hyphens).', 'invalid_provider_setting', 'resource_name');
  }
  return `https://${resource}.openai.azure.com`;
}

function azurePath(request: ProviderRequest): string {
  if (request.endpoint === 'models.list') return '/openai/models';
  if (!DEPLOYMENT_ENDPOINTS.has(request.endpoint)) return `/openai${request.path}`;
  const deployment = requiredSetting(request.target.options.deployment_id, 'deployment_id', 'x-portkey-azure-deployment-id');
  return `/openai/deployments/${encodeURIComponent(deployment)}${request.path}`;
}

/**
 * `https://{resource_name}.openai.azure.com/openai/deployments/{deployment_id}{path}?api-version=…`,
 * keeping the caller's other query parameters. A configured api_version wins over one in
 * the caller's query, which wins over the default.
 */
export function azureOpenAIUrl(request: ProviderRequest): string {
  const host = azureHost(request);
  const path = azurePath(request);
  const query = new URLSearchParams(request.search);
  const configured = request.target.options.api_version;
  if (configured !== undefined && configured !== '') query.set('api-version', configured);
  else if (!query.has('api-version')) query.set('api-version', DEFAULT_AZURE_API_VERSION);
  return `${host}${path}?${query.toString()}`;
}
