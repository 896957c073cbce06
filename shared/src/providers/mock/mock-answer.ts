import type { JsonValue } from '../../core/json.ts';
import type { Clock } from '../../ports/clock.ts';
import type { MockOptions } from './mock-fault-options.ts';
import { createMockSseStream, type MockSseEvent } from './mock-sse-stream.ts';

/** What one mock endpoint answers, before faults shape it into a Response. */
export type MockAnswer =
  | { kind: 'json'; status: number; body: JsonValue; headers?: Record<string, string> }
  | { kind: 'bytes'; status: number; contentType: string; body: Uint8Array }
  | { kind: 'sse'; events: MockSseEvent[] };

const encoder = new TextEncoder();

const MALFORMED_BODY = '{"object": "mock.malformed", this is not JSON (fault injected by the mock provider: malformed)';

/** A 200 JSON answer. */
export function jsonAnswer(body: JsonValue): MockAnswer {
  return { kind: 'json', status: 200, body };
}

function errorTypeFor(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}

/** An error answer in OpenAI's shape, as the real API gives for a bad request or an outage. */
export function openAIErrorAnswer(
  status: number,
  message: string,
  options: { code?: string | null; param?: string | null; headers?: Record<string, string> } = {},
): MockAnswer {
  return {
    kind: 'json',
    status,
    body: { error: { message, type: errorTypeFor(status), code: options.code ?? null, param: options.param ?? null } },
    headers: options.headers ?? {},
  };
}

export interface RenderContext {
  clock: Clock;
  signal: AbortSignal | undefined;
  options: MockOptions;
  requestId: string;
}

function shapeBody(bytes: Uint8Array, options: MockOptions): Uint8Array {
  if (options.malformed === true) return encoder.encode(MALFORMED_BODY);
  // Half the body, ending cleanly: what a proxy hands on when the provider hung up mid-answer.
  if (options.cutAfter !== undefined) return bytes.slice(0, Math.floor(bytes.byteLength / 2));
  return bytes;
}

/**
 * Turn an answer into the web-standard Response a real server would send. Faults shape only
 * successful answers: an error status is already the failure the caller sees.
 */
export function renderMockAnswer(answer: MockAnswer, context: RenderContext): Response {
  const headers = new Headers({ 'x-request-id': context.requestId });
  if (answer.kind === 'sse') {
    headers.set('content-type', 'text/event-stream; charset=utf-8');
    headers.set('cache-control', 'no-cache');
    const body = createMockSseStream(answer.events, {
      clock: context.clock,
      signal: context.signal,
      chunkDelayMs: context.options.chunkDelayMs ?? 0,
      cutAfter: context.options.cutAfter,
      malformed: context.options.malformed === true,
    });
    return new Response(body, { status: 200, headers });
  }
  let bytes: Uint8Array;
  if (answer.kind === 'json') {
    headers.set('content-type', 'application/json');
    for (const [name, value] of Object.entries(answer.headers ?? {})) headers.set(name, value);
    bytes = encoder.encode(JSON.stringify(answer.body));
  } else {
    headers.set('content-type', answer.contentType);
    bytes = answer.body;
  }
  if (answer.status >= 200 && answer.status < 300) bytes = shapeBody(bytes, context.options);
  return new Response(bytes, { status: answer.status, headers });
}
