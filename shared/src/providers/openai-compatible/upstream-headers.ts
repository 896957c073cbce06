import type { ProviderRequest } from '../provider-model.ts';

/**
 * Headers that describe one hop of a connection, not the request: sending the caller's
 * values upstream would corrupt the framing, so forward_headers can never name them.
 */
const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-connection',
]);

/**
 * Copy the caller headers a target names in forward_headers. Only named headers travel, so
 * the caller's Authorization or x-portkey-* headers go upstream only when named explicitly.
 */
export function copyForwardedHeaders(headers: Headers, request: ProviderRequest): void {
  for (const name of request.target.forwardHeaders) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP_HEADERS.has(lower)) continue;
    const value = request.headers.get(lower);
    if (value !== null) headers.set(lower, value);
  }
}

function isPassedOnResponseHeader(name: string): boolean {
  return (
    name === 'content-type' ||
    name === 'x-request-id' ||
    name.startsWith('openai-') ||
    name.startsWith('x-ratelimit-')
  );
}

/**
 * The provider response headers worth showing the caller. Content-Length and Content-Encoding
 * never pass: fetch has already decoded the body, so they would describe other bytes.
 */
export function pickCallerResponseHeaders(upstream: Headers): Headers {
  const picked = new Headers();
  upstream.forEach((value, name) => {
    if (isPassedOnResponseHeader(name)) picked.set(name, value);
  });
  return picked;
}
