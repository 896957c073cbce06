import type { RetryConfig } from '../protocol/config-schema.ts';

/** Portkey's default: retry rate limits and server errors. */
export const DEFAULT_RETRY_STATUS_CODES: readonly number[] = [429, 500, 502, 503, 504];

export interface BackoffSettings {
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the attempt fails so fallback can act. */
  maxRetryAfterMs: number;
}

/**
 * How long to wait before retry number `retryIndex` (0 for the first retry), or undefined when
 * the provider asked for a wait longer than the gateway will hold a request.
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so concurrent
 * callers spread out without any of them retrying immediately.
 */
export function retryDelayMs(
  retryIndex: number,
  retry: RetryConfig,
  retryAfterMs: number | undefined,
  backoff: BackoffSettings,
  random: () => number,
): number | undefined {
  if (retry.use_retry_after_header === true && retryAfterMs !== undefined) {
    return retryAfterMs > backoff.maxRetryAfterMs ? undefined : Math.max(0, retryAfterMs);
  }
  const step = Math.min(backoff.maxDelayMs, backoff.baseDelayMs * 2 ** retryIndex);
  return step / 2 + random() * (step / 2);
}
