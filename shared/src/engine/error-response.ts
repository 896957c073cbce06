import type { GatewayError } from '../core/gateway-error.ts';

/** An OpenAI-shaped JSON error response carrying the error's own headers. */
export function errorResponse(error: GatewayError, headers: Headers = new Headers()): Response {
  headers.set('content-type', 'application/json');
  for (const [name, value] of Object.entries(error.headers)) headers.set(name, value);
  return new Response(JSON.stringify(error.toOpenAIError()), { status: error.status, headers });
}
