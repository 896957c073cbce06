import { copyForwardedHeaders } from '../openai-compatible/upstream-headers.ts';
import type { ProviderRequest } from '../provider-model.ts';
import { DEFAULT_ANTHROPIC_VERSION } from './anthropic-defaults.ts';

/**
 * The headers of one call to Anthropic: forwarded caller headers first (so nothing the
 * gateway sets can be replaced by them), then `x-api-key`, and the `anthropic-version` and
 * `anthropic-beta` headers, taken from the target's options first, then from the caller's own
 * Anthropic headers (as the Anthropic SDKs send them), the version defaulting to 2023-06-01
 * (https://docs.anthropic.com/en/api/versioning).
 */
export function anthropicRequestHeaders(request: ProviderRequest, contentType: string | undefined, accept: string): Headers {
  const headers = new Headers();
  copyForwardedHeaders(headers, request);
  if (contentType !== undefined) headers.set('content-type', contentType);
  headers.set('accept', accept);
  const { apiKey, options } = request.target;
  if (apiKey !== undefined) headers.set('x-api-key', apiKey);
  headers.set('anthropic-version', options.anthropic_version ?? request.headers.get('anthropic-version') ?? DEFAULT_ANTHROPIC_VERSION);
  const beta = options.anthropic_beta ?? request.headers.get('anthropic-beta');
  if (beta !== null && beta !== '') headers.set('anthropic-beta', beta);
  return headers;
}

/** Anthropic response headers worth showing the caller: its request id and rate-limit state. */
export function pickAnthropicResponseHeaders(upstream: Headers, keepContentType: boolean): Headers {
  const picked = new Headers();
  upstream.forEach((value, name) => {
    if (name === 'request-id' || name.startsWith('anthropic-ratelimit-') || (keepContentType && name === 'content-type')) {
      picked.set(name, value);
    }
  });
  return picked;
}
