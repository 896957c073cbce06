import { UpstreamError, type OpenAIErrorBody } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import { parseRetryAfterMs } from '../../protocol/retry-after.ts';

/** Long provider error pages (HTML from a proxy, stack traces) are cut to this many characters. */
const MAX_MESSAGE_LENGTH = 2000;

/** Headers of an error answer that help the caller or the retry loop; everything else stays behind. */
function isKeptErrorHeader(name: string): boolean {
  return (
    name === 'retry-after' ||
    name === 'retry-after-ms' ||
    name === 'x-request-id' ||
    name.startsWith('x-ratelimit-')
  );
}

function truncate(text: string): string {
  return text.length > MAX_MESSAGE_LENGTH ? `${text.slice(0, MAX_MESSAGE_LENGTH)}…` : text;
}

function optionalString(value: JsonValue | undefined): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return null;
}

/**
 * Put any provider error body into OpenAI's error shape. A body already in that shape keeps
 * its message, type, code and param; anything else (other JSON, plain text, HTML) becomes
 * the message of an `upstream_error`.
 */
export function normaliseUpstreamErrorBody(
  provider: string,
  status: number,
  parsed: JsonValue | undefined,
  text: string,
): OpenAIErrorBody {
  if (isJsonObject(parsed)) {
    const error = parsed.error;
    if (isJsonObject(error) && typeof error.message === 'string') {
      return {
        error: {
          message: truncate(error.message),
          type: typeof error.type === 'string' ? error.type : 'upstream_error',
          code: optionalString(error.code),
          param: optionalString(error.param),
        },
      };
    }
    // Ollama, Hugging Face and others answer {"error": "text"}; Mistral uses a top-level message.
    const message = typeof error === 'string' ? error : parsed.message;
    if (typeof message === 'string' && message !== '') {
      return { error: { message: truncate(message), type: 'upstream_error', code: null, param: null } };
    }
  }
  const trimmed = text.trim();
  const message = trimmed === '' ? `${provider} answered with HTTP ${status} and no message.` : truncate(trimmed);
  return { error: { message, type: 'upstream_error', code: null, param: null } };
}

/** Parse JSON without throwing; undefined when the text is not JSON. */
export function tryParseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/**
 * Turn a provider's non-2xx answer into an UpstreamError that keeps the provider's status and
 * message, its Retry-After hint, and the rate-limit headers the caller may want to see.
 */
export async function readUpstreamError(provider: string, response: Response, now: number): Promise<UpstreamError> {
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
    provider,
    status: response.status,
    body: normaliseUpstreamErrorBody(provider, response.status, tryParseJson(text), text),
    retryAfterMs: parseRetryAfterMs(response.headers, now),
    headers,
  });
}
