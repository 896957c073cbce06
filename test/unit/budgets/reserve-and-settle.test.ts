import { describe, expect, it } from 'vitest';
import { budgetPeriodBounds } from '../../../shared/src/budgets/budget-period.ts';
import { estimatePromptTokens, maxOutputTokens } from '../../../shared/src/budgets/estimate-request-tokens.ts';
import { planBudgetCharges } from '../../../shared/src/budgets/plan-budget-charges.ts';
import { reserveCharges } from '../../../shared/src/budgets/reserve-charges.ts';
import { settleCharges } from '../../../shared/src/budgets/settle-charges.ts';
import type { BudgetAlert } from '../../../shared/src/ports/budget-alert-sink.ts';
import { planRateLimitCharges } from '../../../shared/src/ratelimit/plan-rate-limit-charges.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { MemoryCounterStore } from '../../support/memory-counter-store.ts';

const now = Date.UTC(2026, 2, 11, 15, 30); // a Wednesday

describe('budget periods', () => {
  it('starts days, Monday weeks and months in UTC', () => {
    expect(budgetPeriodBounds('daily', now)).toEqual({ start: Date.UTC(2026, 2, 11) / 1000, end: Date.UTC(2026, 2, 12) / 1000 });
    expect(budgetPeriodBounds('weekly', now)).toEqual({ start: Date.UTC(2026, 2, 9) / 1000, end: Date.UTC(2026, 2, 16) / 1000 });
    expect(budgetPeriodBounds('monthly', now)).toEqual({ start: Date.UTC(2026, 2, 1) / 1000, end: Date.UTC(2026, 3, 1) / 1000 });
    expect(budgetPeriodBounds('none', now).start).toBe(0);
  });
});

describe('worst-case estimate', () => {
  it('counts about four characters a token and takes max_tokens or the default', () => {
    expect(estimatePromptTokens({ messages: [{ role: 'user', content: 'x'.repeat(100) }] })).toBe(Math.ceil(JSON.stringify([{ role: 'user', content: 'x'.repeat(100) }]).length / 4));
    expect(maxOutputTokens({ max_tokens: 50 })).toBe(50);
    expect(maxOutputTokens({ max_completion_tokens: 70, max_tokens: 50 })).toBe(70);
    expect(maxOutputTokens({}, 123)).toBe(123);
  });
});

function setup() {
  const clock = new FakeClock(now);
  const counters = new MemoryCounterStore(clock);
  const alerts: BudgetAlert[] = [];
  const sink = { emit: (alert: BudgetAlert) => Promise.resolve(void alerts.push(alert)) };
  return { counters, clock, alerts, options: { counters, clock, alerts: sink, baseDelayMs: 1 } };
}

describe('reserve and settle', () => {
  const budget = { id: 'team', unit: 'usd', limit: 1, period: 'daily', softThreshold: 0.5 } as const;

  it('reserves the worst case, refuses past the cap and settles to the actual cost', async () => {
    const { counters, options } = setup();
    const charges = planBudgetCharges([budget], { tokens: 100, usd: 0.4 }, now);
    expect((await reserveCharges(counters, charges)).accepted).toBe(true);
    expect((await reserveCharges(counters, charges)).accepted).toBe(true);
    const third = await reserveCharges(counters, charges);
    expect(third).toMatchObject({ accepted: false, refused: { owner: { kind: 'budget', id: 'team' } }, value: 0.8 });
    await settleCharges(options, charges, { tokens: 10, usd: 0.1 });
    expect(await counters.get(charges[0]?.key ?? '')).toBeCloseTo(0.5, 9);
  });

  it('gives back what it reserved on other counters when one refuses', async () => {
    const { counters } = setup();
    const rate = planRateLimitCharges([{ subject: 'key:k', definition: { id: 'rl', requestsPerMinute: 10, tokensPerMinute: 1000 } }], 100, now);
    const charges = [...rate, ...planBudgetCharges([{ ...budget, limit: 0.1 }], { tokens: 100, usd: 0.2 }, now)];
    const result = await reserveCharges(counters, charges);
    expect(result).toMatchObject({ accepted: false, refused: { owner: { kind: 'budget' } } });
    const key = rate[0]?.key ?? '';
    expect((await counters.getStates([key])).get(key)?.fields).toEqual({ requests: 0, tokens: 0 });
    // One write reserved the window's requests and tokens, one gave both back.
    expect(counters.fieldAdds).toBe(2);
  });

  it('reserves a window\'s requests and tokens in one write, and a refusal by either refuses both', async () => {
    const { counters, options } = setup();
    const limit = { subject: 'key:k', definition: { id: 'rl', requestsPerMinute: 10, tokensPerMinute: 250 } };
    const first = planRateLimitCharges([limit], 100, now);
    expect(await reserveCharges(counters, first)).toEqual({ accepted: true, values: [1, 100], stale: [] });
    expect([counters.fieldAdds, counters.adds]).toEqual([1, 0]);
    expect(await reserveCharges(counters, planRateLimitCharges([limit], 100, now))).toMatchObject({ accepted: true, values: [2, 200] });
    const refused = await reserveCharges(counters, planRateLimitCharges([limit], 100, now));
    expect(refused).toMatchObject({ accepted: false, refused: { measure: 'tokens', owner: { kind: 'rate-limit', id: 'rl' } }, value: 200, values: [2, 200] });
    const key = first[0]?.key ?? '';
    expect((await counters.getStates([key])).get(key)?.fields).toEqual({ requests: 2, tokens: 200 });
    // The tokens correction is one write; the request is never corrected.
    await settleCharges(options, first, { tokens: 30, usd: 0 });
    expect((await counters.getStates([key])).get(key)?.fields).toEqual({ requests: 2, tokens: 130 });
    expect(counters.fieldAdds).toBe(4);
  });

  it('retries a settlement while the store is unavailable and loses nothing', async () => {
    const { counters, options, clock } = setup();
    const charges = planBudgetCharges([{ ...budget, softThreshold: undefined }], { tokens: 100, usd: 0.4 }, now);
    await reserveCharges(counters, charges);
    counters.failures = 3;
    const settled = settleCharges(options, charges, { tokens: 0, usd: 0.25 });
    for (let step = 0; step < 10; step++) {
      await Promise.resolve();
      await clock.advance(10);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await settled;
    expect(counters.failures).toBe(0);
    expect(await counters.get(charges[0]?.key ?? '')).toBeCloseTo(0.25, 9);
  });

  it('alerts once per period when the soft threshold is crossed', async () => {
    const { counters, options, alerts } = setup();
    const charges = planBudgetCharges([budget], { tokens: 100, usd: 0.3 }, now);
    for (let request = 0; request < 3; request++) {
      await reserveCharges(counters, charges);
      await settleCharges(options, charges, { tokens: 0, usd: 0.3 });
    }
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ budgetId: 'team', limit: 1, softThreshold: 0.5 });
    expect(alerts[0]?.spent).toBeCloseTo(0.6, 9);
  });
});
