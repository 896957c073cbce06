import type { GatewayError } from '../core/gateway-error.ts';
import { anthropicErrorBody } from '../protocol/anthropic-messages/anthropic-error-body.ts';
import { completeResponse } from './complete-response.ts';

/** Which API's error shape a caller expects: Anthropic's on its Messages endpoint, OpenAI's elsewhere. */
export type ErrorShape = 'openai' | 'anthropic';

/** A JSON error response in the caller's API shape, carrying the error's own headers. */
export function errorResponse(error: GatewayError, headers: Headers = new Headers(), shape: ErrorShape = 'openai'): Response {
  headers.set('content-type', 'application/json');
  for (const [name, value] of Object.entries(error.headers)) headers.set(name, value);
  const body = shape === 'anthropic' ? anthropicErrorBody(error) : error.toOpenAIError();
  return completeResponse(JSON.stringify(body), { status: error.status, headers });
}
