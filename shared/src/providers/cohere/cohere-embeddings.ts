import { BadRequestError } from '../../core/gateway-error.ts';
import type { ProviderRequest, ProviderResponse } from '../provider-model.ts';
import type { CohereEmbedResponse } from './cohere-api-types.ts';
import { type CohereDependencies, convertedAnswerHeaders, postJsonToCohere, readCohereJson } from './cohere-http.ts';
import { cohereUrl } from './cohere-url.ts';
import { convertToCohereEmbedRequest } from './convert-to-cohere-embed-request.ts';
import { mapCohereEmbedResponse } from './map-cohere-embed-response.ts';

/** POST /v2/embed for an OpenAI embeddings request. */
export async function callCohereEmbeddings(deps: CohereDependencies, request: ProviderRequest): Promise<ProviderResponse> {
  if (request.body === undefined) throw new BadRequestError('An embeddings request needs a JSON body.');
  const { body, base64, warnings } = convertToCohereEmbedRequest(request.body);
  const response = await postJsonToCohere(deps, request, cohereUrl(request.target, '/v2/embed'), body);
  const answer = (await readCohereJson(response, request.signal)) as CohereEmbedResponse;
  const { embeddings, usage } = mapCohereEmbedResponse(answer, { model: body.model, base64 });
  return {
    kind: 'complete',
    status: 200,
    headers: convertedAnswerHeaders(warnings, 'application/json'),
    body: new TextEncoder().encode(JSON.stringify(embeddings)),
    usage,
  };
}
