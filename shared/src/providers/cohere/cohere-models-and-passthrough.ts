import { pickCallerResponseHeaders } from '../openai-compatible/upstream-headers.ts';
import type { ProviderRequest, ProviderResponse } from '../provider-model.ts';
import type { CohereModelList } from './cohere-api-types.ts';
import { type CohereDependencies, convertedAnswerHeaders, readCohereJson, sendToCohere } from './cohere-http.ts';
import { coherePassthroughPath, cohereUrl } from './cohere-url.ts';

/** Cohere pages its model list; one page of the maximum size holds every public model. */
const MODELS_PATH = '/v1/models?page_size=1000';

/** GET /v1/models (https://docs.cohere.com/reference/list-models) in OpenAI's list shape. */
export async function callCohereModels(deps: CohereDependencies, request: ProviderRequest): Promise<ProviderResponse> {
  const response = await sendToCohere(deps, request, { url: cohereUrl(request.target, MODELS_PATH), method: 'GET', accept: 'application/json' });
  const answer = (await readCohereJson(response, request.signal)) as CohereModelList;
  const data = (answer.models ?? [])
    .filter((model) => typeof model.name === 'string')
    .map((model) => ({ id: model.name, object: 'model', created: 0, owned_by: 'cohere' }));
  return {
    kind: 'complete',
    status: 200,
    headers: convertedAnswerHeaders([], 'application/json'),
    body: new TextEncoder().encode(JSON.stringify({ object: 'list', data })),
    usage: undefined,
  };
}

/** Any other path goes to Cohere's API unchanged, with Cohere's auth (rerank, classify, tokenize, ...). */
export async function callCoherePassthrough(deps: CohereDependencies, request: ProviderRequest): Promise<ProviderResponse> {
  const method = request.method.toUpperCase();
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  const response = await sendToCohere(deps, request, {
    url: cohereUrl(request.target, coherePassthroughPath(request.path, request.search)),
    method,
    body: hasBody ? body : undefined,
    contentType: hasBody ? (request.contentType ?? (request.body === undefined ? undefined : 'application/json')) : undefined,
    accept: request.headers.get('accept') ?? '*/*',
  });
  return { kind: 'binary', status: response.status, headers: pickCallerResponseHeaders(response.headers), body: response.body };
}
