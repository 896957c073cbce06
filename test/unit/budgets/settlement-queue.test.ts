import { describe, expect, it } from 'vitest';
import { planBudgetCharges } from '../../../shared/src/budgets/plan-budget-charges.ts';
import { reserveCharges } from '../../../shared/src/budgets/reserve-charges.ts';
import { SettlementQueue } from '../../../shared/src/budgets/settlement-queue.ts';
import type { BudgetAlert } from '../../../shared/src/ports/budget-alert-sink.ts';
import type { CounterCharge } from '../../../shared/src/ports/counter-charge.ts';
import { planRateLimitCharges } from '../../../shared/src/ratelimit/plan-rate-limit-charges.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { MemoryCounterStore } from '../../support/memory-counter-store.ts';

const now = Date.UTC(2026, 2, 11, 15, 30, 5);
const budget = { id: 'team', unit: 'usd', limit: 10, period: 'daily' } as const;
const rate = { subject: 'key:k', definition: { id: 'rl', requestsPerMinute: 100, tokensPerMinute: 100_000 } };

function setup(coalesceMs = 20) {
  const clock = new FakeClock(now);
  const counters = new MemoryCounterStore(clock);
  const alerts: BudgetAlert[] = [];
  const lost: { key: string; delta: number }[] = [];
  const queue = new SettlementQueue({
    counters,
    clock,
    alerts: { emit: (alert) => Promise.resolve(void alerts.push(alert)) },
    baseDelayMs: 1,
    coalesceMs,
    onLost: (charge, delta) => lost.push({ key: charge.key, delta }),
  });
  const state = async (key: string) => (await counters.getStates([key])).get(key);
  /** One admitted request: its worst case reserved on the budget and the rate window. */
  const admit = async (usd: number, tokens: number): Promise<CounterCharge[]> => {
    const charges = [...planRateLimitCharges([rate], tokens, clock.now()), ...planBudgetCharges([budget], { tokens, usd }, clock.now())];
    expect((await reserveCharges(counters, charges)).accepted).toBe(true);
    return charges;
  };
  return { clock, counters, queue, alerts, lost, state, admit };
}

/** Let promise chains started by a write run to their end. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('coalesced settlements', () => {
  it('merges the settlements of requests within the window into one write per counter, exact to the digit', async () => {
    const { counters, queue, state, admit, clock } = setup();
    // Fractions whose float sum is not their decimal sum.
    const requests = [
      { reserved: 0.1, used: 0.07 },
      { reserved: 0.2, used: 0.0031 },
      { reserved: 0.7, used: 1e-7 },
    ];
    const admitted: CounterCharge[][] = [];
    for (const { reserved } of requests) admitted.push(await admit(reserved, 300));
    const [budgetKey, rateKey] = [admitted[0]?.[2]?.key ?? '', admitted[0]?.[0]?.key ?? ''];
    const writesBefore = [counters.settlements, counters.fieldAdds];
    requests.forEach(({ used }, index) => void queue.settle(admitted[index] ?? [], { tokens: 100, usd: used }));
    await settle();
    expect([counters.settlements, counters.fieldAdds]).toEqual(writesBefore);
    await clock.advance(20);
    await queue.flush();
    // One settlement of the budget's slot, one tokens correction of the window.
    expect([counters.settlements - (writesBefore[0] ?? 0), counters.fieldAdds - (writesBefore[1] ?? 0)]).toEqual([1, 1]);
    const budgetState = await state(budgetKey);
    expect(budgetState?.holds.map((hold) => hold.exact)).toEqual(['0']);
    expect(budgetState?.value).toBe(Number('0.0731001'));
    expect((await state(rateKey))?.fields).toEqual({ requests: 3, tokens: 300 });
  });

  it('writes what is queued at once on flush, and each request at once without a window', async () => {
    const { counters, queue, admit } = setup();
    const charges = await admit(0.5, 100);
    const written = queue.settle(charges, { tokens: 10, usd: 0.25 });
    await queue.flush();
    await written;
    expect(await counters.get(charges[2]?.key ?? '')).toBe(0.25);

    const direct = setup(0);
    const more = await direct.admit(0.5, 100);
    await direct.queue.settle(more, { tokens: 10, usd: 0.125 });
    expect(await direct.counters.get(more[2]?.key ?? '')).toBe(0.125);
  });

  it('gives back at once when asked to, merged with what waits for the same counter', async () => {
    const { counters, queue, admit, state } = setup();
    const first = await admit(0.5, 100);
    const second = await admit(0.25, 100);
    void queue.settle(first, { tokens: 50, usd: 0.5 });
    const settlementsBefore = counters.settlements;
    await queue.giveBack(second.slice(2), { now: true });
    expect(counters.settlements - settlementsBefore).toBe(1);
    expect(await state(first[2]?.key ?? '')).toMatchObject({ value: 0.5, holds: [{ exact: '0' }] });
  });

  it('retries a merged write while the store fails and loses nothing', async () => {
    const { counters, queue, admit, clock, lost } = setup();
    const first = await admit(0.5, 100);
    const second = await admit(0.5, 100);
    void queue.settle(first, { tokens: 100, usd: 0.25 });
    void queue.settle(second, { tokens: 100, usd: 0.5 });
    counters.failures = 3;
    await clock.advance(20);
    for (let step = 0; step < 10; step++) {
      await clock.advance(10);
      await settle();
    }
    await queue.flush();
    expect(counters.failures).toBe(0);
    expect(lost).toEqual([]);
    expect(await counters.get(first[2]?.key ?? '')).toBe(0.75);
  });

  it('reports a merged write lost after every try once, with its whole correction', async () => {
    const clock = FakeClock.instant();
    const counters = new MemoryCounterStore(clock);
    const lost: { key: string; delta: number }[] = [];
    const queue = new SettlementQueue({ counters, clock, alerts: { emit: () => Promise.resolve() }, attempts: 2, coalesceMs: 20, onLost: (charge, delta) => lost.push({ key: charge.key, delta }) });
    const charges = planBudgetCharges([budget], { tokens: 100, usd: 0.5 }, clock.now());
    await reserveCharges(counters, charges);
    await reserveCharges(counters, charges);
    void queue.settle(charges, { tokens: 0, usd: 0.125 });
    void queue.settle(charges, { tokens: 0, usd: 0.25 });
    counters.failures = 2;
    await queue.flush();
    expect(lost).toEqual([{ key: charges[0]?.key, delta: -0.625 }]);
  });

  it('adds only the actual use when the slot was released meanwhile', async () => {
    const { counters, queue, admit, state } = setup();
    const charges = await admit(0.5, 100);
    const key = charges[2]?.key ?? '';
    const hold = (await state(key))?.holds[0];
    if (hold === undefined) throw new Error('no hold');
    await counters.releaseHold(key, hold);
    void queue.settle(charges, { tokens: 100, usd: 0.2 });
    await queue.flush();
    expect(await state(key)).toMatchObject({ value: 0.2, holds: [] });
  });

  it('alerts once per period when merged settlements cross the soft threshold', async () => {
    const { counters, queue, alerts, clock } = setup();
    const charges = planBudgetCharges([{ ...budget, softThreshold: 0.5 }], { tokens: 0, usd: 2 }, clock.now());
    for (let request = 0; request < 4; request++) expect((await reserveCharges(counters, charges)).accepted).toBe(true);
    for (let request = 0; request < 3; request++) void queue.settle(charges, { tokens: 0, usd: 1.5 });
    await clock.advance(20);
    await queue.flush();
    void queue.settle(charges, { tokens: 0, usd: 1.5 });
    await queue.flush();
    expect(alerts).toHaveLength(1);
    // 4.5 settled and 2 still reserved by the fourth request when the first write landed.
    expect(alerts[0]).toMatchObject({ budgetId: 'team', limit: 10, softThreshold: 0.5, spent: 6.5 });
  });
});
