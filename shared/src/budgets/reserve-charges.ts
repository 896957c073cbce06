import type { CounterCharge } from '../ports/counter-charge.ts';
import type { CounterHold, CounterStore } from '../ports/counter-store.ts';
import { staleHolds } from './reservation-hold.ts';
import { applySettlement, planSettlements } from './settle-charges.ts';
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

/** Gives back charges that were accepted when another was refused. */
export type GiveBack = (charges: readonly CounterCharge[]) => Promise<void>;

/** Take back charges that were accepted (their slots too, when held), one write per counter item. Errors are ignored. */
export async function giveBackCharges(counters: CounterStore, charges: readonly CounterCharge[]): Promise<void> {
  await Promise.all(planSettlements(charges, () => 0).map((settlement) => applySettlement(counters, settlement).catch(() => undefined)));
}

/** How one charge fared: whether its write went through, the counter (or field) it saw, and whether it was the one over. */
interface ChargeOutcome {
  accepted: boolean;
  value: number;
  over: boolean;
  holds: CounterHold[];
}

/** The writes of a reservation, each answering for its charges by index: the charges on fields of one item together in one `addFields`, every other charge in its own `add`. */
function reserveWrites(counters: CounterStore, charges: readonly CounterCharge[]): Promise<[number, ChargeOutcome][]>[] {
  const writes: Promise<[number, ChargeOutcome][]>[] = [];
  const items = new Map<string, { index: number; charge: CounterCharge; field: string }[]>();
  charges.forEach((charge, index) => {
    if (charge.field !== undefined) {
      items.set(charge.key, [...(items.get(charge.key) ?? []), { index, charge, field: charge.field }]);
      return;
    }
    const added = counters.add(charge.key, charge.reserved, { ceiling: charge.limit, expiresAt: charge.expiresAt, holdSlot: charge.holdSlot });
    writes.push(added.then((result) => [[index, { accepted: result.accepted, value: result.value, over: !result.accepted, holds: result.holds ?? [] }]]));
  });
  for (const [key, item] of items) {
    const fields = item.map(({ charge, field }) => ({ name: field, amount: charge.reserved, ceiling: charge.limit }));
    const added = counters.addFields(key, fields, { expiresAt: Math.max(...item.map(({ charge }) => charge.expiresAt)) });
    writes.push(
      added.then((result) =>
        item.map(({ index, field }): [number, ChargeOutcome] => [index, { accepted: result.accepted, value: result.values[field] ?? 0, over: result.over.includes(field), holds: [] }]),
      ),
    );
  }
  return writes;
}

async function reserveOnce(
  counters: CounterStore,
  charges: readonly CounterCharge[],
  lease: HoldLease | undefined,
  giveBack: GiveBack,
): Promise<{ reservation: Reservation; blocked: boolean }> {
  const outcomes = new Map((await Promise.all(reserveWrites(counters, charges))).flat());
  const values = charges.map((_, index) => outcomes.get(index)?.value ?? 0);
  const stale: StaleHold[] = [];
  // Whether a refused counter still counts reservations of crashed requests.
  let blocked = false;
  let refusedIndex = -1;
  charges.forEach((charge, index) => {
    const outcome = outcomes.get(index);
    if (outcome === undefined) return;
    if (lease !== undefined) {
      for (const hold of staleHolds(outcome.holds, lease.nowMs, lease.leaseSeconds)) {
        stale.push({ key: charge.key, hold });
        if (!outcome.accepted && hold.amount > 0) blocked = true;
      }
    }
    if (!outcome.over) return;
    if (refusedIndex === -1 || (charge.owner.kind === 'budget' && charges[refusedIndex]?.owner.kind !== 'budget')) refusedIndex = index;
  });
  const refused = charges[refusedIndex];
  if (refused === undefined) return { reservation: { accepted: true, values, stale }, blocked: false };
  const accepted = charges.filter((_, index) => outcomes.get(index)?.accepted === true);
  if (accepted.length > 0) await giveBack(accepted);
  return { reservation: { accepted: false, refused, value: values[refusedIndex] ?? 0, values, stale }, blocked };
}

/**
 * Reserve every charge at once: one conditional write per counter item (a rate window's
 * requests and tokens share one), all in one parallel batch, so the hot path gains one round
 * trip. When any is refused, the accepted ones are handed to `giveBack` (by default given back
 * at once) and the refusal names a budget before a rate limit (the one an operator must act
 * on). A refusal by a counter whose stale hold slots still hold something is not final: those
 * are released (crashed requests' reservations) and the whole reservation is tried once more.
 */
export async function reserveCharges(
  counters: CounterStore,
  charges: readonly CounterCharge[],
  lease?: HoldLease,
  giveBack: GiveBack = (accepted) => giveBackCharges(counters, accepted),
): Promise<Reservation> {
  const first = await reserveOnce(counters, charges, lease, giveBack);
  if (!first.blocked || lease === undefined) return first.reservation;
  await lease.release(first.reservation.stale);
  return (await reserveOnce(counters, charges, lease, giveBack)).reservation;
}
