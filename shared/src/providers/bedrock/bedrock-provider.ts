import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject } from '../../core/json.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ProviderModel, ProviderRequest, ProviderResponse } from '../provider-model.ts';
import { createBedrockClientCache, type BedrockClientFactory } from './bedrock-client-cache.ts';
import { resolveBedrockClientSettings } from './bedrock-client-settings.ts';
import { createBedrockEmbeddings } from './bedrock-embeddings.ts';
import { callBedrockConverse, WARNINGS_HEADER } from './call-bedrock-converse.ts';

export interface BedrockProviderDependencies {
  clock: Clock;
  /** Region for targets that name none: the runtime passes the Lambda's AWS_REGION. */
  defaultRegion?: string | undefined;
  /** Builds SDK clients; tests inject one, the default is `new BedrockRuntimeClient(config)`. */
  clientFactory?: BedrockClientFactory;
}

/**
 * The Amazon Bedrock provider: chat through Converse / ConverseStream (any model, inference
 * profile id or ARN, passed through untouched), embeddings through InvokeModel for Titan
 * Text Embeddings and Cohere Embed. Credentials come from the target (static keys or a
 * Bedrock API key) or else from the SDK's default chain, the Lambda role on AWS.
 */
export function createBedrockProvider(deps: BedrockProviderDependencies): ProviderModel {
  const clients = createBedrockClientCache(deps.clientFactory);

  async function call(request: ProviderRequest): Promise<ProviderResponse> {
    if (request.endpoint !== 'chat.completions' && request.endpoint !== 'embeddings') {
      throw new BadRequestError(`bedrock does not support ${request.endpoint}`, 'unsupported_endpoint');
    }
    const body = request.body;
    if (!isJsonObject(body)) throw new BadRequestError('The request body must be a JSON object.', 'invalid_request');
    const client = await clients.get(resolveBedrockClientSettings(request.target, deps.defaultRegion));
    if (request.endpoint === 'chat.completions') return callBedrockConverse(client, request, body, deps.clock);

    const { response, usage, warnings } = await createBedrockEmbeddings(client, body, request.signal);
    const headers = new Headers({ 'content-type': 'application/json' });
    if (warnings.length > 0) headers.set(WARNINGS_HEADER, warnings.join(','));
    return { kind: 'complete', status: 200, headers, body: new TextEncoder().encode(JSON.stringify(response)), usage };
  }

  // Credentials are optional: without any, the SDK's default chain (the Lambda role) signs.
  return { id: 'bedrock', requiresApiKey: false, call };
}
