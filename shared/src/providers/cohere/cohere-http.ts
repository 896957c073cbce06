import { BadGatewayError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject } from '../../core/json.ts';
import type { Clock } from '../../ports/clock.ts';
import { tryParseJson } from '../openai-compatible/read-upstream-error.ts';
import { copyForwardedHeaders } from '../openai-compatible/upstream-headers.ts';
import type { FetchFunction, ProviderRequest } from '../provider-model.ts';
import { UPSTREAM_REDIRECT_MODE, upstreamFetchFailure } from '../upstream-fetch-failure.ts';
import { COHERE_PROVIDER_ID, readCohereError } from './read-cohere-error.ts';

export interface CohereDependencies {
  fetch: FetchFunction;
  clock: Clock;
}

export interface CohereHttpCall {
  url: string;
  method: string;
  body?: RequestInit['body'];
  contentType?: string | undefined;
  accept: string;
}

/** The engine's own abort reason (timeout, caller gone) goes on as it is; a redirect or anything else is a 502. */
export function cohereFetchFailure(signal: AbortSignal, error: unknown): Error {
  return upstreamFetchFailure(COHERE_PROVIDER_ID, signal, error);
}

/**
 * Make one call to Cohere with the caller's key as `Authorization: Bearer`
 * (https://docs.cohere.com/reference/about). A non-2xx answer becomes an UpstreamError.
 */
export async function sendToCohere(deps: CohereDependencies, request: ProviderRequest, call: CohereHttpCall): Promise<Response> {
  const headers = new Headers();
  // Forwarded first so that nothing the gateway sets itself can be replaced by a caller header.
  copyForwardedHeaders(headers, request);
  if (call.contentType !== undefined) headers.set('content-type', call.contentType);
  headers.set('accept', call.accept);
  if (request.target.apiKey !== undefined && request.target.apiKey !== '') {
    headers.set('authorization', `Bearer ${request.target.apiKey}`);
  }
  let response: Response;
  try {
    response = await deps.fetch(call.url, { method: call.method, headers, body: call.body, signal: request.signal, redirect: UPSTREAM_REDIRECT_MODE });
  } catch (error) {
    throw cohereFetchFailure(request.signal, error);
  }
  if (!response.ok) throw await readCohereError(response, deps.clock.now());
  return response;
}

/** POST a JSON body to a Cohere path. */
export function postJsonToCohere(deps: CohereDependencies, request: ProviderRequest, url: string, body: unknown, stream = false): Promise<Response> {
  return sendToCohere(deps, request, {
    url,
    method: 'POST',
    body: JSON.stringify(body),
    contentType: 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
  });
}

/** Read a JSON object answer; anything else is a broken answer (502). */
export async function readCohereJson(response: Response, signal: AbortSignal): Promise<JsonObject> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw cohereFetchFailure(signal, error);
  }
  const parsed = tryParseJson(text);
  if (!isJsonObject(parsed)) {
    throw new BadGatewayError(`${COHERE_PROVIDER_ID} answered with a body that is not a JSON object.`, 'invalid_upstream_response');
  }
  return parsed;
}

/** Response headers for a converted answer, naming dropped parameters when there were any. */
export function convertedAnswerHeaders(warnings: readonly string[], contentType?: string): Headers {
  const headers = new Headers();
  if (contentType !== undefined) headers.set('content-type', contentType);
  if (warnings.length > 0) headers.set('x-turnpike-warnings', [...new Set(warnings)].join(','));
  return headers;
}
