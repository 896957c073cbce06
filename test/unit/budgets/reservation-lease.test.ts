import { describe, expect, it, vi } from 'vitest';
import { planBudgetCharges } from '../../../shared/src/budgets/plan-budget-charges.ts';
import { holdSlotStart } from '../../../shared/src/budgets/reservation-hold.ts';
import { type HoldLease, reserveCharges } from '../../../shared/src/budgets/reserve-charges.ts';
import { settleCharges } from '../../../shared/src/budgets/settle-charges.ts';
import { StaleHoldSweeper } from '../../../shared/src/budgets/stale-hold-sweeper.ts';
import type { CounterCharge } from '../../../shared/src/ports/counter-charge.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { MemoryCounterStore } from '../../support/memory-counter-store.ts';

const start = Date.UTC(2026, 2, 11, 15, 31, 10);
const LEASE = 1200;
const budget = { id: 'team', unit: 'usd', limit: 1, period: 'daily' } as const;

function setup() {
  const clock = new FakeClock(start);
  const counters = new MemoryCounterStore(clock);
  const sweeper = new StaleHoldSweeper(counters);
  const released: number[] = [];
  const lease = (): HoldLease => ({
    nowMs: clock.now(),
    leaseSeconds: LEASE,
    release: (stale) => {
      released.push(...stale.map((each) => each.hold.slot));
      return sweeper.release(stale);
    },
  });
  const settleOptions = { counters, clock, alerts: { emit: () => Promise.resolve() }, baseDelayMs: 1 };
  const charge = (usd: number): CounterCharge[] => planBudgetCharges([budget], { tokens: 100, usd }, clock.now());
  const state = async (key: string) => (await counters.getStates([key])).get(key);
  return { clock, counters, sweeper, released, lease, settleOptions, charge, state };
}

/** Past the lease of the slot `at` fell in. */
function afterLease(at: number): number {
  return (holdSlotStart(at) + 300 + LEASE) * 1000;
}

describe('budget reservations held in slots', () => {
  it('holds a reservation in the slot of its time and settles it out of that slot', async () => {
    const { counters, lease, settleOptions, charge, state } = setup();
    const charges = charge(0.5);
    expect(charges[0]?.holdSlot).toBe(holdSlotStart(start));
    expect(await reserveCharges(counters, charges, lease())).toMatchObject({ accepted: true, stale: [] });
    expect(await state(charges[0]?.key ?? '')).toMatchObject({ value: 0.5, holds: [{ slot: holdSlotStart(start), amount: 0.5 }] });
    await settleCharges(settleOptions, charges, { tokens: 10, usd: 0.125 });
    expect(await state(charges[0]?.key ?? '')).toMatchObject({ value: 0.125, holds: [{ amount: 0 }] });
  });

  it('keeps a crashed request\'s reservation until the lease runs out, then releases it and admits on a second try', async () => {
    const { clock, counters, released, lease, charge, state } = setup();
    const crashed = charge(0.8);
    await reserveCharges(counters, crashed, lease());
    const key = crashed[0]?.key ?? '';

    // Within the lease the reservation may still belong to a running request: it counts.
    clock.current = afterLease(start) - 1_000;
    expect(await reserveCharges(counters, charge(0.4), lease())).toMatchObject({ accepted: false, value: 0.8, stale: [] });
    expect(released).toEqual([]);

    clock.current = afterLease(start);
    const admitted = await reserveCharges(counters, charge(0.4), lease());
    expect(admitted).toMatchObject({ accepted: true, values: [0.4], stale: [] });
    expect(released).toEqual([holdSlotStart(start)]);
    expect(await state(key)).toMatchObject({ value: 0.4, holds: [{ slot: holdSlotStart(clock.now()), amount: 0.4 }] });
  });

  it('answers a refusal at once when stale slots hold nothing that could free the budget', async () => {
    const { clock, counters, released, lease, settleOptions, charge } = setup();
    const spent = charge(0.9);
    await reserveCharges(counters, spent, lease());
    await settleCharges(settleOptions, spent, { tokens: 0, usd: 0.9 });
    clock.current = afterLease(start);
    const refused = await reserveCharges(counters, charge(0.4), lease());
    expect(refused).toMatchObject({ accepted: false, value: 0.9 });
    // The emptied slot is reported for a background release, but nobody waited for one.
    expect(refused.stale.map((each) => each.hold)).toEqual([{ slot: holdSlotStart(start), amount: 0, exact: '0' }]);
    expect(released).toEqual([]);
    expect(counters.releases).toBe(0);
  });

  it('reports the stale slots an accepted reservation came across, for a release in the background', async () => {
    const { clock, counters, sweeper, lease, settleOptions, charge, state } = setup();
    const first = charge(0.2);
    await reserveCharges(counters, first, lease());
    await settleCharges(settleOptions, first, { tokens: 0, usd: 0.1 });
    clock.current = afterLease(start);
    const second = await reserveCharges(counters, charge(0.3), lease());
    expect(second.accepted).toBe(true);
    expect(second.stale).toHaveLength(1);
    expect(counters.releases).toBe(0);
    await sweeper.release(second.stale);
    expect(await state(first[0]?.key ?? '')).toMatchObject({ value: 0.4, holds: [{ slot: holdSlotStart(clock.now()), amount: 0.3 }] });
  });

  it('gives a refused batch\'s accepted reservations back out of their slots', async () => {
    const { counters, lease, state, clock } = setup();
    const charges = planBudgetCharges([budget, { ...budget, id: 'small', limit: 0.1 }], { tokens: 100, usd: 0.3 }, clock.now());
    expect(await reserveCharges(counters, charges, lease())).toMatchObject({ accepted: false, refused: { owner: { id: 'small' } } });
    expect(await state(charges[0]?.key ?? '')).toMatchObject({ value: 0, holds: [{ amount: 0 }] });
    expect(await state(charges[1]?.key ?? '')).toEqual({ value: 0, holds: [] });
  });

  it('does not subtract twice when a request settles after its slot was swept', async () => {
    const { clock, counters, sweeper, lease, settleOptions, charge, state } = setup();
    const slow = charge(0.5);
    await reserveCharges(counters, slow, lease());
    clock.current = afterLease(start);
    const next = await reserveCharges(counters, charge(0.25), lease());
    await sweeper.release(next.stale);
    const key = slow[0]?.key ?? '';
    expect((await state(key))?.value).toBe(0.25);
    // The slow request was alive after all: its settlement adds its use and nothing else.
    await settleCharges(settleOptions, slow, { tokens: 0, usd: 0.125 });
    expect(await state(key)).toMatchObject({ value: 0.375, holds: [{ slot: holdSlotStart(clock.now()), amount: 0.25 }] });
  });
});

describe('StaleHoldSweeper', () => {
  it('joins a release already running for the same slot instead of sending another', async () => {
    const { counters, sweeper, lease, clock, charge } = setup();
    await reserveCharges(counters, charge(0.5), lease());
    clock.current = afterLease(start);
    const { stale } = await reserveCharges(counters, charge(0.5), lease());
    expect(stale).toHaveLength(1);
    await Promise.all([sweeper.release(stale), sweeper.release(stale), sweeper.release([...stale, ...stale])]);
    expect(counters.releases).toBe(1);
  });

  it('reads a slot again and releases what it holds now when a late settlement changed it', async () => {
    const { counters, sweeper, lease, clock, charge, settleOptions, state } = setup();
    const crashed = charge(0.5);
    const slow = charge(0.25);
    await reserveCharges(counters, crashed, lease());
    await reserveCharges(counters, slow, lease());
    clock.current = afterLease(start);
    const { stale } = await reserveCharges(counters, charge(0.125), lease());
    expect(stale[0]?.hold.amount).toBe(0.75);
    // Between the read and the release the slow request settles.
    await settleCharges(settleOptions, slow, { tokens: 0, usd: 0.0625 });
    await sweeper.release(stale);
    expect(counters.releases).toBe(2);
    expect(await state(crashed[0]?.key ?? '')).toMatchObject({ value: 0.1875, holds: [{ slot: holdSlotStart(clock.now()), amount: 0.125 }] });
  });

  it('never rejects when the store fails, and leaves the slot for the next sweep', async () => {
    const { counters, sweeper, lease, clock, charge, state } = setup();
    const crashed = charge(0.5);
    await reserveCharges(counters, crashed, lease());
    clock.current = afterLease(start);
    const { stale } = await reserveCharges(counters, charge(0.125), lease());
    counters.failures = 1;
    const failing = vi.fn();
    await sweeper.release(stale).catch(failing);
    expect(failing).not.toHaveBeenCalled();
    expect((await state(crashed[0]?.key ?? ''))?.holds).toHaveLength(2);
    await sweeper.release(stale);
    expect((await state(crashed[0]?.key ?? ''))?.holds).toHaveLength(1);
  });
});
