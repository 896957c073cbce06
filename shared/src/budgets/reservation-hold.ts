import type { CounterHold } from '../ports/counter-store.ts';

/** Budget reservations are grouped into hold slots of five minutes, by when they were made. */
export const HOLD_SLOT_SECONDS = 300;

/**
 * How long a request may run between its reservation and its settlement: Lambda's 15-minute
 * maximum plus the settlement's retries, with room to spare. Operators set it with
 * `TURNPIKE_RESERVATION_LEASE_SECONDS`.
 */
export const DEFAULT_RESERVATION_LEASE_SECONDS = 1200;

/** The start (epoch seconds) of the hold slot a reservation made at `nowMs` goes into. */
export function holdSlotStart(nowMs: number): number {
  const seconds = Math.floor(nowMs / 1000);
  return seconds - (seconds % HOLD_SLOT_SECONDS);
}

/**
 * Whether every request that reserved in the slot starting at `slot` has outlived the lease:
 * the last of them reserved before the slot ended, so whatever the slot still holds belongs to
 * requests that crashed before they settled.
 */
export function isStaleHold(slot: number, nowMs: number, leaseSeconds: number): boolean {
  return slot + HOLD_SLOT_SECONDS + leaseSeconds <= Math.floor(nowMs / 1000);
}

/** The stale slots among `holds`. */
export function staleHolds(holds: readonly CounterHold[], nowMs: number, leaseSeconds: number): CounterHold[] {
  return holds.filter((hold) => isStaleHold(hold.slot, nowMs, leaseSeconds));
}
