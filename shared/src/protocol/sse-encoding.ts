import type { GatewayError } from '../core/gateway-error.ts';

const encoder = new TextEncoder();

/** One SSE `data:` event. `payload` must not contain a newline (JSON.stringify output never does). */
export function encodeSseData(payload: string): Uint8Array {
  return encoder.encode(`data: ${payload}\n\n`);
}

export const SSE_DONE: Uint8Array = encoder.encode('data: [DONE]\n\n');

/**
 * The event that ends a stream which failed after its first byte. The OpenAI SDKs raise an
 * APIError when a `data:` payload carries an `error` object, so callers cannot mistake a
 * truncated answer for a complete one.
 */
export function encodeSseError(error: GatewayError): Uint8Array {
  return encodeSseData(JSON.stringify(error.toOpenAIError()));
}

export const SSE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Proxies that honour it (nginx and friends) must not hold chunks back.
  'x-accel-buffering': 'no',
};
