import { GatewayError, UpstreamError } from '../core/gateway-error.ts';
import type { Clock } from '../ports/clock.ts';
import type { RetryConfig } from '../protocol/config-schema.ts';
import { type BackoffSettings, DEFAULT_RETRY_STATUS_CODES, retryDelayMs } from './retry-delay.ts';

export interface RetryContext {
  clock: Clock;
  random: () => number;
  backoff: BackoffSettings;
  signal: AbortSignal;
  /** Told how many retries have been made so far, including when the call finally fails. */
  onRetry?: (retries: number) => void;
  /** Told of each failure a retry leaves behind (not the one the call finally fails with). */
  onAbandoned?: (error: GatewayError) => void;
}

/**
 * Run `attempt` once, then again per the target's `retry` settings while it fails with a
 * retryable status. Only failures before an answer starts reach here, so a retry never
 * repeats bytes the caller has already received.
 */
export async function callWithRetries<T>(
  retry: RetryConfig | undefined,
  context: RetryContext,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  const attempts = retry?.attempts ?? 0;
  const onStatusCodes = retry?.on_status_codes ?? DEFAULT_RETRY_STATUS_CODES;
  for (let attemptNumber = 0; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (retry === undefined || attemptNumber >= attempts || context.signal.aborted) throw error;
      if (!(error instanceof GatewayError) || !onStatusCodes.includes(error.status)) throw error;
      const retryAfter = error instanceof UpstreamError ? error.retryAfterMs : undefined;
      const delay = retryDelayMs(attemptNumber, retry, retryAfter, context.backoff, context.random);
      if (delay === undefined) throw error;
      context.onRetry?.(attemptNumber + 1);
      context.onAbandoned?.(error);
      await context.clock.sleep(delay, context.signal);
    }
  }
}
