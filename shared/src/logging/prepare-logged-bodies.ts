import { isJsonObject, type JsonValue } from '../core/json.ts';
import type { LoggedResponseBody, RequestLogDetail } from '../ports/request-log-sink.ts';
import { type LoggedBodies, type LoggedBody, truncateLoggedBody } from './logged-bodies.ts';
import { redactJsonBody, redactedText } from './redact-json-body.ts';
import { redactSseText } from './redact-sse-text.ts';
import { scrubCredentials } from './request-credentials.ts';

/**
 * Longest text kept per body before compression. A Lambda request may carry 6 MB; the item
 * budget is far smaller, so cutting early keeps the redaction and compression work bounded.
 */
export const MAX_BODY_CHARS = 1_048_576;

const strictDecoder = new TextDecoder('utf-8', { fatal: true });
const lenientDecoder = new TextDecoder();

function looksLikeJson(contentType: string | undefined, bytes: Uint8Array): boolean {
  if (contentType !== undefined) return /[/+]json\b/i.test(contentType);
  return bytes[0] === 0x7b || bytes[0] === 0x5b; // '{' or '['
}

function jsonBody(value: JsonValue, hideContent: boolean, bytes?: number): LoggedBody {
  const body: LoggedBody = { format: 'json', text: JSON.stringify(redactJsonBody(value, hideContent)) };
  if (bytes !== undefined) body.bytes = bytes;
  return body;
}

/** Bytes of an unknown kind: JSON when they parse, text when they decode (full mode only), else a note. */
function bytesBody(bytes: Uint8Array, contentType: string | undefined, hideContent: boolean): LoggedBody {
  const size = bytes.byteLength;
  let text: string | undefined;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return { format: 'omitted', text: `[binary body: ${size} bytes]`, bytes: size };
  }
  if (looksLikeJson(contentType, bytes)) {
    try {
      return jsonBody(JSON.parse(text) as JsonValue, hideContent, size);
    } catch {
      // Not JSON after all: treated as text below.
    }
  }
  return hideContent ? { format: 'omitted', text: redactedText(size, 'bytes'), bytes: size } : { format: 'text', text, bytes: size };
}

function streamBody(response: Extract<LoggedResponseBody, { kind: 'stream' }>, hideContent: boolean): LoggedBody {
  let captured = '';
  for (const chunk of response.chunks) captured += lenientDecoder.decode(chunk, { stream: true });
  captured += lenientDecoder.decode();
  const text = redactSseText(captured, hideContent);
  const body: LoggedBody = { format: 'sse', text, bytes: response.totalBytes };
  if (!response.truncated) return body;
  const capturedBytes = response.chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  return { ...body, text: `${text}…[truncated by Turnpike: first ${capturedBytes} of ${response.totalBytes} bytes captured]`, truncated: true };
}

function responseBody(response: LoggedResponseBody, hideContent: boolean): LoggedBody {
  switch (response.kind) {
    case 'complete':
      return bytesBody(response.body, response.contentType, hideContent);
    case 'stream':
      return streamBody(response, hideContent);
    case 'binary':
      return { format: 'omitted', text: `[binary answer${response.contentType === undefined ? '' : ` (${response.contentType})`} not logged]` };
  }
}

// Scrubbing comes first: a cut through the middle of a key would leave part of it behind.
function finish(body: LoggedBody, credentials: readonly string[]): LoggedBody {
  const text = scrubCredentials(body.text, credentials);
  return truncateLoggedBody(text === body.text ? body : { ...body, text }, MAX_BODY_CHARS);
}

/**
 * The bodies of one request as the log stores them (before compression): JSON redacted by
 * `mode`, streams as their captured SSE text, binary content as a note of its size, every
 * known credential scrubbed, each body cut at MAX_BODY_CHARS with a marker.
 */
export function prepareLoggedBodies(detail: RequestLogDetail, mode: 'full' | 'redacted', credentials: readonly string[]): LoggedBodies {
  const hideContent = mode === 'redacted';
  const bodies: LoggedBodies = { mode };
  const { requestBody } = detail;
  if (requestBody instanceof Uint8Array) bodies.request = finish(bytesBody(requestBody, detail.requestContentType, hideContent), credentials);
  else if (isJsonObject(requestBody)) bodies.request = finish(jsonBody(requestBody, hideContent), credentials);
  if (detail.responseBody !== undefined) bodies.response = finish(responseBody(detail.responseBody, hideContent), credentials);
  return bodies;
}
