import { BadRequestError } from '../../core/gateway-error.ts';
import type { ProviderModel, ProviderRequest, ProviderResponse } from '../provider-model.ts';
import { callCohereChat } from './cohere-chat.ts';
import { callCohereEmbeddings } from './cohere-embeddings.ts';
import type { CohereDependencies } from './cohere-http.ts';
import { callCohereModels, callCoherePassthrough } from './cohere-models-and-passthrough.ts';
import { COHERE_PROVIDER_ID } from './read-cohere-error.ts';

/**
 * The Cohere provider: OpenAI chat completions (streamed or not, with tools, images and JSON
 * mode) on Cohere's v2 chat API, embeddings on v2 embed, the model list, and passthrough of
 * any other path to Cohere's API.
 */
export function createCohereProvider(deps: CohereDependencies): ProviderModel {
  async function call(request: ProviderRequest): Promise<ProviderResponse> {
    switch (request.endpoint) {
      case 'chat.completions':
        return callCohereChat(deps, request);
      case 'embeddings':
        return callCohereEmbeddings(deps, request);
      case 'models.list':
        return callCohereModels(deps, request);
      case 'passthrough':
        return callCoherePassthrough(deps, request);
      default:
        throw new BadRequestError(`${COHERE_PROVIDER_ID} does not support ${request.endpoint}`, 'unsupported_endpoint');
    }
  }
  return { id: COHERE_PROVIDER_ID, requiresApiKey: true, call };
}
