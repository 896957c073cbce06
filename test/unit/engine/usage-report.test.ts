import { describe, expect, it } from 'vitest';
import { planBudgetCharges } from '../../../shared/src/budgets/plan-budget-charges.ts';
import { reserveCharges } from '../../../shared/src/budgets/reserve-charges.ts';
import { usageReport } from '../../../shared/src/engine/usage-report.ts';
import type { CallerIdentity } from '../../../shared/src/keys/access-records.ts';
import { planRateLimitCharges } from '../../../shared/src/ratelimit/plan-rate-limit-charges.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { MemoryCounterStore } from '../../support/memory-counter-store.ts';

const now = Date.UTC(2026, 2, 11, 15, 30, 20);
const identity: CallerIdentity = { kind: 'api-key', id: 'key_1', workspaceId: 'ws', scopes: {}, metadata: {}, defaultConfig: undefined, rateLimitId: 'rl', budgetId: 'b' };

describe('usage report', () => {
  it("reads a window's requests and tokens from the fields of its one item, beside the budget, in one batch", async () => {
    const counters = new MemoryCounterStore(new FakeClock(now));
    const limits = {
      rateLimits: [{ subject: 'key:key_1', definition: { id: 'rl', requestsPerMinute: 10, tokensPerMinute: 5000 } }],
      budgets: [{ id: 'b', unit: 'tokens', limit: 1000, period: 'none' } as const],
    };
    for (let request = 0; request < 2; request++) {
      const charges = [...planRateLimitCharges(limits.rateLimits, 120, now), ...planBudgetCharges(limits.budgets, { tokens: 120, usd: 0 }, now)];
      expect((await reserveCharges(counters, charges)).accepted).toBe(true);
    }
    const report = await usageReport(counters, identity, limits, now);
    expect(report.rate_limits).toEqual([
      {
        rate_limit_id: 'rl',
        applies_to: 'key:key_1',
        requests_per_minute: 10,
        tokens_per_minute: 5000,
        window_start: '2026-03-11T15:30:00.000Z',
        requests_used: 2,
        tokens_used: 240,
      },
    ]);
    expect(report.budgets).toMatchObject([{ budget_id: 'b', spent: 0, reserved: 240, remaining: 760 }]);
  });
});
