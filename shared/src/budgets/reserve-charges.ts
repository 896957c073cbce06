import type { CounterCharge } from '../ports/counter-charge.ts';
import type { CounterAddOptions, CounterStore } from '../ports/counter-store.ts';
import { staleHolds } from './reservation-hold.ts';
import type { StaleHold } from './stale-hold-sweeper.ts';

/**
 * Accepted: every charge holds its reservation. Refused: nothing is held; `refused` is the
 * charge that hit its cap. Either way `stale` lists the stale hold slots the counters showed,
 * for the caller to release in the background.
 */
export type Reservation =
  | { accepted: true; values: number[]; stale: StaleHold[] }
  | { accepted: false; refused: CounterCharge; value: number; values: number[]; stale: StaleHold[] };

/** When hold slots go stale, and how to release them. */
export interface HoldLease {
  nowMs: number;
  leaseSeconds: number;
  /** Gives stale slots back; awaited when they are what stands between a request and its budget. */
  release(stale: readonly StaleHold[]): Promise<void>;
}

function addOptions(charge: CounterCharge): CounterAddOptions {
  return { ceiling: charge.limit, expiresAt: charge.expiresAt, holdSlot: charge.holdSlot };
}

/** Take back a charge that was accepted (its slot too, when it was held). Errors are the caller's to ignore. */
export async function giveBack(counters: CounterStore, charge: CounterCharge): Promise<void> {
  if (charge.holdSlot !== undefined) {
    await counters.settleHold(charge.key, { slot: charge.holdSlot, reserved: charge.reserved, actual: 0, expiresAt: charge.expiresAt });
  } else if (charge.reserved !== 0) {
    await counters.add(charge.key, -charge.reserved, { expiresAt: charge.expiresAt });
  }
}

async function reserveOnce(counters: CounterStore, charges: readonly CounterCharge[], lease: HoldLease | undefined): Promise<{ reservation: Reservation; blocked: boolean }> {
  const results = await Promise.all(charges.map((charge) => counters.add(charge.key, charge.reserved, addOptions(charge))));
  const values = results.map((result) => result.value);
  const stale: StaleHold[] = [];
  // Whether a refused counter still counts reservations of crashed requests.
  let blocked = false;
  let refusedIndex = -1;
  results.forEach((result, index) => {
    const charge = charges[index];
    if (charge === undefined) return;
    if (lease !== undefined) {
      for (const hold of staleHolds(result.holds ?? [], lease.nowMs, lease.leaseSeconds)) {
        stale.push({ key: charge.key, hold });
        if (!result.accepted && hold.amount > 0) blocked = true;
      }
    }
    if (result.accepted) return;
    if (refusedIndex === -1 || (charge.owner.kind === 'budget' && charges[refusedIndex]?.owner.kind !== 'budget')) refusedIndex = index;
  });
  const refused = charges[refusedIndex];
  if (refused === undefined) return { reservation: { accepted: true, values, stale }, blocked: false };
  await Promise.all(charges.map((charge, index) => (results[index]?.accepted === true ? giveBack(counters, charge).catch(() => undefined) : undefined)));
  return { reservation: { accepted: false, refused, value: values[refusedIndex] ?? 0, values, stale }, blocked };
}

/**
 * Reserve every charge at once: one conditional add per counter, all in one parallel batch, so
 * the hot path gains one round trip. When any is refused, the accepted ones are given back and
 * the refusal names a budget before a rate limit (the one an operator must act on). A refusal
 * by a counter whose stale hold slots still hold something is not final: those are released
 * (crashed requests' reservations) and the whole reservation is tried once more.
 */
export async function reserveCharges(counters: CounterStore, charges: readonly CounterCharge[], lease?: HoldLease): Promise<Reservation> {
  const first = await reserveOnce(counters, charges, lease);
  if (!first.blocked || lease === undefined) return first.reservation;
  await lease.release(first.reservation.stale);
  return (await reserveOnce(counters, charges, lease)).reservation;
}
