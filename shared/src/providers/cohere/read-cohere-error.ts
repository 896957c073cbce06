import { UpstreamError } from '../../core/gateway-error.ts';
import { readUpstreamError } from '../openai-compatible/read-upstream-error.ts';

export const COHERE_PROVIDER_ID = 'cohere';

/** OpenAI's error `type` for a status, so callers that branch on it see what OpenAI would send. */
function errorTypeForStatus(status: number): string {
  switch (status) {
    case 400:
    case 413:
    case 422:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 429:
      return 'rate_limit_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/**
 * Turn a Cohere error answer into an UpstreamError. Cohere's bodies are `{"message": ...}`
 * (sometimes with an `id`; https://docs.cohere.com/reference/errors): the status and message
 * stay Cohere's, the Retry-After hint and rate-limit headers are kept, and the error type is
 * OpenAI's for that status.
 */
export async function readCohereError(response: Response, now: number): Promise<UpstreamError> {
  const read = await readUpstreamError(COHERE_PROVIDER_ID, response, now);
  const error = read.body.error;
  if (error.type !== 'upstream_error') return read;
  return new UpstreamError({
    provider: COHERE_PROVIDER_ID,
    status: read.status,
    body: { error: { ...error, type: errorTypeForStatus(read.status) } },
    retryAfterMs: read.retryAfterMs,
    headers: read.headers,
  });
}

/**
 * A generation that Cohere ended with finish reason ERROR or TIMEOUT, inside an HTTP 200
 * answer or stream. Reported as a failure, never as a normal end that would hide it.
 */
export function cohereGenerationError(finishReason: string | undefined, message: string | null | undefined): UpstreamError {
  const timedOut = finishReason === 'TIMEOUT';
  const text =
    typeof message === 'string' && message !== ''
      ? message
      : `cohere stopped generating with finish reason ${finishReason ?? 'ERROR'}.`;
  return new UpstreamError({
    provider: COHERE_PROVIDER_ID,
    status: timedOut ? 504 : 500,
    body: {
      error: {
        message: text,
        type: timedOut ? 'timeout_error' : 'api_error',
        code: timedOut ? 'generation_timeout' : 'generation_error',
        param: null,
      },
    },
  });
}
