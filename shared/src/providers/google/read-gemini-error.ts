import { UpstreamError, type OpenAIErrorBody } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import { parseRetryAfterMs } from '../../protocol/retry-after.ts';
import { normaliseUpstreamErrorBody, tryParseJson } from '../openai-compatible/read-upstream-error.ts';
import type { GeminiErrorDetail } from './gemini-api-types.ts';

const PROVIDER = 'google';
const MAX_MESSAGE_LENGTH = 2000;
const RETRY_INFO = 'type.googleapis.com/google.rpc.RetryInfo';
/** A protobuf Duration in JSON: seconds with an `s` suffix, such as "34.4s". */
const DURATION = /^(\d+(?:\.\d+)?)s$/;

/** OpenAI's error `type` for an HTTP status, so SDK callers see the type they expect. */
function errorTypeForStatus(status: number): string {
  if (status === 400) return 'invalid_request_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'api_error' : 'invalid_request_error';
}

/** The delay a google.rpc.RetryInfo detail asks for, in milliseconds. */
export function retryDelayFromDetails(details: JsonValue[] | undefined): number | undefined {
  for (const detail of details ?? []) {
    if (!isJsonObject(detail) || detail['@type'] !== RETRY_INFO || typeof detail.retryDelay !== 'string') continue;
    const seconds = DURATION.exec(detail.retryDelay)?.[1];
    if (seconds !== undefined) return Math.ceil(Number(seconds) * 1000);
  }
  return undefined;
}

/** Google's envelope, which streamGenerateContent without alt=sse wraps in an array. */
function geminiErrorDetail(parsed: JsonValue | undefined): GeminiErrorDetail | undefined {
  const envelope = Array.isArray(parsed) ? parsed[0] : parsed;
  const error = isJsonObject(envelope) ? envelope.error : undefined;
  return isJsonObject(error) && typeof error.message === 'string' ? (error as GeminiErrorDetail) : undefined;
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

/** Google's error in OpenAI's shape: the message as Google wrote it, its status (RESOURCE_EXHAUSTED, ...) as the code. */
function openAIErrorBody(status: number, detail: GeminiErrorDetail): OpenAIErrorBody {
  return {
    error: {
      message: truncate(detail.message ?? `${PROVIDER} answered with HTTP ${status}.`),
      type: errorTypeForStatus(status),
      code: typeof detail.status === 'string' ? detail.status : null,
      param: null,
    },
  };
}

/**
 * An UpstreamError from a Gemini error answer. The delay comes from Retry-After when Google
 * sends one, else from the RetryInfo detail of a 429; it is also passed to the caller as
 * Retry-After so the OpenAI SDKs back off for as long as Google asked.
 */
export function geminiUpstreamError(status: number, text: string, headers: Headers, now: number): UpstreamError {
  const parsed = tryParseJson(text);
  const detail = geminiErrorDetail(parsed);
  const body = detail === undefined ? normaliseUpstreamErrorBody(PROVIDER, status, parsed, text) : openAIErrorBody(status, detail);
  const retryAfterMs = parseRetryAfterMs(headers, now) ?? retryDelayFromDetails(detail?.details);
  const callerHeaders: Record<string, string> = {};
  if (retryAfterMs !== undefined) callerHeaders['retry-after'] = String(Math.ceil(retryAfterMs / 1000));
  return new UpstreamError({ provider: PROVIDER, status, body, retryAfterMs, headers: callerHeaders });
}

/** Read a non-2xx Gemini answer. */
export async function readGeminiError(response: Response, now: number): Promise<UpstreamError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // A body that breaks half-way still leaves the status, which is what matters most.
  }
  return geminiUpstreamError(response.status, text, response.headers, now);
}

/** An `{error: ...}` event inside a stream: its code is an HTTP status (500 when it has none). */
export function geminiStreamError(detail: GeminiErrorDetail): UpstreamError {
  const status = typeof detail.code === 'number' && detail.code >= 400 && detail.code <= 599 ? detail.code : 500;
  return new UpstreamError({ provider: PROVIDER, status, body: openAIErrorBody(status, detail), retryAfterMs: retryDelayFromDetails(detail.details) });
}
