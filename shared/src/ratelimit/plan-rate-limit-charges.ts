import type { CounterCharge } from '../ports/counter-charge.ts';
import type { RateLimitDefinition } from './rate-limit-definition.ts';
import { RATE_WINDOW_SECONDS, rateCounterKey, rateWindowStart } from './rate-limit-window.ts';

/** A rate limit with the subject it counts for: the caller (`key:<id>`) or the workspace (`workspace:<id>`). */
export interface AppliedRateLimit {
  subject: string;
  definition: RateLimitDefinition;
}

/** The window counters a request reserves on: 1 request, and its worst-case tokens. */
export function planRateLimitCharges(limits: readonly AppliedRateLimit[], worstCaseTokens: number, nowMs: number): CounterCharge[] {
  const charges: CounterCharge[] = [];
  const windowStart = rateWindowStart(nowMs);
  // Kept a window past its end so a late settlement still finds the counter it corrects.
  const expiresAt = windowStart + 2 * RATE_WINDOW_SECONDS;
  for (const { subject, definition } of limits) {
    const owner = { kind: 'rate-limit', id: definition.id } as const;
    if (definition.requestsPerMinute !== undefined) {
      charges.push({ key: rateCounterKey(subject, 'requests', windowStart), reserved: 1, expiresAt, measure: 'requests', limit: definition.requestsPerMinute, owner });
    }
    if (definition.tokensPerMinute !== undefined) {
      charges.push({ key: rateCounterKey(subject, 'tokens', windowStart), reserved: worstCaseTokens, expiresAt, measure: 'tokens', limit: definition.tokensPerMinute, owner });
    }
  }
  return charges;
}
