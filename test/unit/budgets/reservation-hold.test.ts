import { describe, expect, it } from 'vitest';
import { DEFAULT_RESERVATION_LEASE_SECONDS, HOLD_SLOT_SECONDS, holdSlotStart, isStaleHold, staleHolds } from '../../../shared/src/budgets/reservation-hold.ts';
import { FakeClock } from '../../support/fake-clock.ts';

// 2026-03-11T15:30:00Z, on a slot boundary.
const slot = Date.UTC(2026, 2, 11, 15, 30) / 1000;

describe('hold slots', () => {
  it('puts a reservation into the five-minute slot it was made in', () => {
    expect(HOLD_SLOT_SECONDS).toBe(300);
    expect(holdSlotStart(slot * 1000)).toBe(slot);
    expect(holdSlotStart(slot * 1000 + 299_999)).toBe(slot);
    expect(holdSlotStart(slot * 1000 + 300_000)).toBe(slot + 300);
    expect(holdSlotStart(slot * 1000 - 1)).toBe(slot - 300);
  });

  it('calls a slot stale once its last reservation is a whole lease old, not a second before', () => {
    const clock = new FakeClock(slot * 1000);
    const lease = DEFAULT_RESERVATION_LEASE_SECONDS;
    expect(lease).toBe(1200);
    // The last reservation of the slot may come just before its end, and may run for the lease.
    clock.current = (slot + 300 + lease) * 1000 - 1;
    expect(isStaleHold(slot, clock.now(), lease)).toBe(false);
    clock.current += 1;
    expect(isStaleHold(slot, clock.now(), lease)).toBe(true);
    expect(isStaleHold(slot + 300, clock.now(), lease)).toBe(false);
    expect(isStaleHold(slot, clock.now(), lease + 1)).toBe(false);
  });

  it('picks the stale slots of a counter, whatever they hold', () => {
    const now = (slot + 300 + 60) * 1000;
    const holds = [
      { slot: slot - 300, amount: 0, exact: '0' },
      { slot, amount: 2.5, exact: '2.5' },
      { slot: slot + 300, amount: 1, exact: '1' },
    ];
    expect(staleHolds(holds, now, 60).map((hold) => hold.slot)).toEqual([slot - 300, slot]);
    expect(staleHolds(holds, now, 1200)).toEqual([]);
  });
});
