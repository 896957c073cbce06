/** Rate limits use fixed one-minute windows aligned to the epoch. */
export const RATE_WINDOW_SECONDS = 60;

/** Epoch seconds at which the window holding `nowMs` started. */
export function rateWindowStart(nowMs: number): number {
  const seconds = Math.floor(nowMs / 1000);
  return seconds - (seconds % RATE_WINDOW_SECONDS);
}

/**
 * The counter item of one subject's window: its requests and tokens are two fields of it (named
 * as the measures), reserved together in one write. One item per window, so no reset write is
 * ever needed.
 */
export function rateCounterKey(subject: string, windowStart: number): string {
  return `rate#${subject}#${windowStart}`;
}

/** Whole seconds until the window ends, at least 1 (what `retry-after` says). */
export function secondsUntilWindowEnd(nowMs: number): number {
  const end = (rateWindowStart(nowMs) + RATE_WINDOW_SECONDS) * 1000;
  return Math.max(1, Math.ceil((end - nowMs) / 1000));
}

export interface RateLimitState {
  measure: 'requests' | 'tokens';
  limit: number;
  /** What the window had used after this request (or before it, when refused). */
  used: number;
}

/**
 * OpenAI's rate-limit headers (`x-ratelimit-limit-requests`, `-remaining-`, `-reset-`, and the
 * `-tokens` ones) for the limits that applied; reset is a duration like `42s`.
 */
export function rateLimitHeaders(states: readonly RateLimitState[], nowMs: number): Record<string, string> {
  const headers: Record<string, string> = {};
  const reset = `${secondsUntilWindowEnd(nowMs)}s`;
  for (const state of states) {
    headers[`x-ratelimit-limit-${state.measure}`] = String(state.limit);
    headers[`x-ratelimit-remaining-${state.measure}`] = String(Math.max(0, Math.floor(state.limit - state.used)));
    headers[`x-ratelimit-reset-${state.measure}`] = reset;
  }
  return headers;
}
