import { UpstreamError } from '../../core/gateway-error.ts';
import { parseRetryAfterMs } from '../../protocol/retry-after.ts';
import { normaliseUpstreamErrorBody, tryParseJson } from '../openai-compatible/read-upstream-error.ts';
import type { AnthropicErrorPayload } from './anthropic-api-types.ts';

export const ANTHROPIC_PROVIDER_ID = 'anthropic';

/**
 * The HTTP status Anthropic uses for each error type
 * (https://docs.anthropic.com/en/api/errors). A mid-stream `error` event carries only the
 * type, so this table gives it the status the same failure would have had before the stream.
 */
const STATUS_BY_ERROR_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/** Status for an error type we do not know: the provider failed in a way we cannot name. */
const UNKNOWN_ERROR_STATUS = 502;

/** Error-answer headers worth handing on: the retry hint, the request id, rate-limit state. */
function isKeptErrorHeader(name: string): boolean {
  return name === 'retry-after' || name === 'request-id' || name.startsWith('anthropic-ratelimit-');
}

/**
 * Turn an Anthropic error answer (`{"type":"error","error":{"type","message"}}`) into an
 * UpstreamError that keeps Anthropic's status (529 overloaded stays 529), type and message.
 */
export async function readAnthropicError(response: Response, now: number): Promise<UpstreamError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    // A body that breaks half-way still leaves the status, which is what matters most.
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (isKeptErrorHeader(name)) headers[name] = value;
  });
  return new UpstreamError({
    provider: ANTHROPIC_PROVIDER_ID,
    status: response.status,
    body: normaliseUpstreamErrorBody(ANTHROPIC_PROVIDER_ID, response.status, tryParseJson(text), text),
    retryAfterMs: parseRetryAfterMs(response.headers, now),
    headers,
  });
}

/** The error a mid-stream `event: error` stands for, in OpenAI's shape. */
export function anthropicStreamError(payload: AnthropicErrorPayload | undefined): UpstreamError {
  const type = typeof payload?.type === 'string' ? payload.type : 'api_error';
  const message =
    typeof payload?.message === 'string' && payload.message !== '' ? payload.message : `anthropic reported ${type} during the stream.`;
  return new UpstreamError({
    provider: ANTHROPIC_PROVIDER_ID,
    status: STATUS_BY_ERROR_TYPE[type] ?? UNKNOWN_ERROR_STATUS,
    body: { error: { message, type, code: null, param: null } },
  });
}
