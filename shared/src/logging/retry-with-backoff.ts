import type { Clock } from '../ports/clock.ts';

/** How often and how patiently an operation is tried. */
export interface BackoffPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** Delay before the first retry; it doubles for each further retry. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export type BackoffResult<T> = { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

/** The delay before retry number `retry` (1-based): exponential, capped, with equal jitter. */
export function backoffDelay(policy: BackoffPolicy, retry: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // Half fixed, half random: retries of many failed writes spread out but never come back at once.
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

/**
 * Run `operation` until it succeeds or `policy.attempts` tries have failed, sleeping on
 * `clock` between tries. Never throws: the outcome says whether it worked and how many tries
 * it took.
 */
export async function retryWithBackoff<T>(
  operation: (attempt: number) => Promise<T>,
  policy: BackoffPolicy,
  clock: Pick<Clock, 'sleep'>,
  random: () => number = Math.random,
): Promise<BackoffResult<T>> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    if (attempt > 1) await clock.sleep(backoffDelay(policy, attempt - 1, random));
    try {
      return { ok: true, value: await operation(attempt), attempts: attempt };
    } catch (error) {
      lastError = error;
    }
  }
  return { ok: false, error: lastError, attempts: policy.attempts };
}
