import { BadGatewayError } from '../core/gateway-error.ts';

/**
 * Every provider call passes this as fetch's `redirect`: a redirect is refused, never followed.
 * Following one would let an allowed custom host send the gateway on to an address the SSRF
 * host guard refuses (169.254.169.254 above all); it also spares undici copying the request
 * body for a possible second request.
 */
export const UPSTREAM_REDIRECT_MODE = 'error' satisfies RequestInit['redirect'];

/** The network error behind a failed fetch: fetch rejects with `TypeError('fetch failed')` and puts it in `cause`. */
function networkCause(error: unknown): Error | undefined {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error ? cause : undefined;
}

/**
 * Whether fetch failed because the answer was a redirect and `redirect` was 'error'. undici
 * reports that as a network error whose message is "unexpected redirect" (the Fetch standard's
 * "network error" carries no code).
 */
export function isRefusedRedirect(error: unknown): boolean {
  return networkCause(error)?.message === 'unexpected redirect';
}

/**
 * Map a failed fetch or body read to what the caller is told. The engine's own abort reason
 * (timeout, caller gone) goes on as it is; a refused redirect is a 502 `upstream_redirect`;
 * anything else means the provider could not be reached, with the network error code but
 * never the URL.
 */
export function upstreamFetchFailure(provider: string, signal: AbortSignal, error: unknown): Error {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason;
  if (isRefusedRedirect(error)) {
    return new BadGatewayError(`${provider} answered with a redirect, which the gateway does not follow.`, 'upstream_redirect', error);
  }
  const cause = networkCause(error);
  const code = cause !== undefined && 'code' in cause && typeof cause.code === 'string' ? ` (${cause.code})` : '';
  return new BadGatewayError(`Could not reach ${provider}${code}.`, 'upstream_unreachable', error);
}
