import { BadGatewayError } from '../../core/gateway-error.ts';
import type { JsonValue } from '../../core/json.ts';
import { tryParseJson } from '../openai-compatible/read-upstream-error.ts';
import { copyForwardedHeaders } from '../openai-compatible/upstream-headers.ts';
import type { FetchFunction, ProviderRequest } from '../provider-model.ts';
import { UPSTREAM_REDIRECT_MODE, upstreamFetchFailure } from '../upstream-fetch-failure.ts';
import { readGeminiError } from './read-gemini-error.ts';

export interface GeminiSendOptions {
  fetch: FetchFunction;
  now: () => number;
}

/**
 * A failed fetch or body read: the engine's own abort reason (timeout, client gone) goes on as
 * it is; a refused redirect or anything else is a 502. The message never holds the URL.
 */
export function geminiFetchFailure(signal: AbortSignal, error: unknown): Error {
  return upstreamFetchFailure('google', signal, error);
}

/**
 * One call to the Gemini API. The key goes in `x-goog-api-key`, never in the URL's `?key=`,
 * where it would end up in access logs. A non-2xx answer throws the mapped UpstreamError.
 */
export async function sendGeminiRequest(
  options: GeminiSendOptions,
  request: ProviderRequest,
  url: string,
  init: { method: string; body?: RequestInit['body']; contentType?: string | undefined; accept: string },
): Promise<Response> {
  const headers = new Headers();
  // Forwarded first so that nothing the gateway sets itself can be replaced by a caller header.
  copyForwardedHeaders(headers, request);
  if (init.contentType !== undefined) headers.set('content-type', init.contentType);
  headers.set('accept', init.accept);
  const { apiKey } = request.target;
  if (apiKey !== undefined && apiKey !== '') headers.set('x-goog-api-key', apiKey);

  let response: Response;
  try {
    response = await options.fetch(url, { method: init.method, headers, body: init.body, signal: request.signal, redirect: UPSTREAM_REDIRECT_MODE });
  } catch (error) {
    throw geminiFetchFailure(request.signal, error);
  }
  if (!response.ok) throw await readGeminiError(response, options.now());
  return response;
}

/** The JSON body of a successful answer; a body that is not JSON is a broken answer (502). */
export async function readGeminiJson(response: Response, signal: AbortSignal): Promise<JsonValue> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw geminiFetchFailure(signal, error);
  }
  const parsed = tryParseJson(text);
  if (parsed === undefined) throw new BadGatewayError('google answered with a body that is not valid JSON.', 'invalid_upstream_response');
  return parsed;
}
