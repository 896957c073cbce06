import type { CounterCharge } from '../ports/counter-charge.ts';
import type { RateLimitDefinition } from './rate-limit-definition.ts';
import { RATE_WINDOW_SECONDS, rateCounterKey, rateWindowStart } from './rate-limit-window.ts';

/** A rate limit with the subject it counts for: the caller (`key:<id>`) or the workspace (`workspace:<id>`). */
export interface AppliedRateLimit {
  subject: string;
  definition: RateLimitDefinition;
}

/** What a request reserves on each window counter item: 1 request, and its worst-case tokens, each a field of the item. */
export function planRateLimitCharges(limits: readonly AppliedRateLimit[], worstCaseTokens: number, nowMs: number): CounterCharge[] {
  const charges: CounterCharge[] = [];
  const windowStart = rateWindowStart(nowMs);
  // Kept a window past its end so a late settlement still finds the counter it corrects.
  const expiresAt = windowStart + 2 * RATE_WINDOW_SECONDS;
  for (const { subject, definition } of limits) {
    const owner = { kind: 'rate-limit', id: definition.id } as const;
    const key = rateCounterKey(subject, windowStart);
    if (definition.requestsPerMinute !== undefined) {
      charges.push({ key, field: 'requests', reserved: 1, expiresAt, measure: 'requests', limit: definition.requestsPerMinute, owner });
    }
    if (definition.tokensPerMinute !== undefined) {
      charges.push({ key, field: 'tokens', reserved: worstCaseTokens, expiresAt, measure: 'tokens', limit: definition.tokensPerMinute, owner });
    }
  }
  return charges;
}
