import type { GatewayError } from '../core/gateway-error.ts';

const encoder = new TextEncoder();

/** One SSE `data:` event as text, for callers that join several before encoding them once. */
export function formatSseData(payload: string): string {
  return `data: ${payload}\n\n`;
}

/** One SSE `data:` event. `payload` must not contain a newline (JSON.stringify output never does). */
export function encodeSseData(payload: string): Uint8Array {
  return encoder.encode(formatSseData(payload));
}

export const SSE_DONE_TEXT = 'data: [DONE]\n\n';
export const SSE_DONE: Uint8Array = encoder.encode(SSE_DONE_TEXT);

/**
 * The event that ends a stream which failed after its first byte. The OpenAI SDKs raise an
 * APIError when a `data:` payload carries an `error` object, so callers cannot mistake a
 * truncated answer for a complete one.
 */
export function encodeSseError(error: GatewayError): Uint8Array {
  return encoder.encode(formatSseError(error));
}

/** The same error event as text. */
export function formatSseError(error: GatewayError): string {
  return formatSseData(JSON.stringify(error.toOpenAIError()));
}

export const SSE_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Proxies that honour it (nginx and friends) must not hold chunks back.
  'x-accel-buffering': 'no',
};
