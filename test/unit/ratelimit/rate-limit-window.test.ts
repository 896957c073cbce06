import { describe, expect, it } from 'vitest';
import { planRateLimitCharges } from '../../../shared/src/ratelimit/plan-rate-limit-charges.ts';
import { rateCounterKey, rateLimitHeaders, rateWindowStart, secondsUntilWindowEnd } from '../../../shared/src/ratelimit/rate-limit-window.ts';

const at = Date.UTC(2026, 0, 1, 12, 0, 45, 500);

describe('fixed rate windows', () => {
  it('aligns windows to the minute and names the window in the counter key', () => {
    expect(rateWindowStart(at)).toBe(Date.UTC(2026, 0, 1, 12, 0, 0) / 1000);
    expect(rateCounterKey('key:k1', 60)).toBe('rate#key:k1#60');
    expect(secondsUntilWindowEnd(at)).toBe(15);
  });

  it('writes OpenAI-style headers', () => {
    expect(rateLimitHeaders([{ measure: 'requests', limit: 10, used: 3 }, { measure: 'tokens', limit: 100, used: 120 }], at)).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '7',
      'x-ratelimit-reset-requests': '15s',
      'x-ratelimit-limit-tokens': '100',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '15s',
    });
  });

  it('plans one request and the worst-case tokens per limit, as two fields of one window item', () => {
    const charges = planRateLimitCharges([{ subject: 'key:k1', definition: { id: 'rl', requestsPerMinute: 5, tokensPerMinute: 1000 } }], 300, at);
    expect(charges.map((charge) => [charge.key, charge.field, charge.measure, charge.reserved, charge.limit])).toEqual([
      [rateCounterKey('key:k1', rateWindowStart(at)), 'requests', 'requests', 1, 5],
      [rateCounterKey('key:k1', rateWindowStart(at)), 'tokens', 'tokens', 300, 1000],
    ]);
    expect(charges[0]?.expiresAt).toBe(rateWindowStart(at) + 120);
  });
});
