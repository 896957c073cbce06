import type { CounterCharge } from '../ports/counter-charge.ts';
import type { CounterStore } from '../ports/counter-store.ts';

/** Accepted: every charge holds its reservation. Refused: nothing is held; `refused` is the charge that hit its cap. */
export type Reservation =
  | { accepted: true; values: number[] }
  | { accepted: false; refused: CounterCharge; value: number; values: number[] };

/**
 * Reserve every charge at once: one conditional add per counter, all in one parallel batch, so
 * the hot path gains one round trip. When any is refused, the accepted ones are given back and
 * the refusal names a budget before a rate limit (the one an operator must act on).
 */
export async function reserveCharges(counters: CounterStore, charges: readonly CounterCharge[]): Promise<Reservation> {
  const results = await Promise.all(charges.map((charge) => counters.add(charge.key, charge.reserved, { ceiling: charge.limit, expiresAt: charge.expiresAt })));
  const values = results.map((result) => result.value);
  let refusedIndex = -1;
  results.forEach((result, index) => {
    if (result.accepted) return;
    if (refusedIndex === -1 || (charges[index]?.owner.kind === 'budget' && charges[refusedIndex]?.owner.kind !== 'budget')) refusedIndex = index;
  });
  const refused = charges[refusedIndex];
  if (refused === undefined) return { accepted: true, values };
  await Promise.all(
    charges.map((charge, index) =>
      results[index]?.accepted === true && charge.reserved !== 0
        ? counters.add(charge.key, -charge.reserved, { expiresAt: charge.expiresAt }).catch(() => undefined)
        : undefined,
    ),
  );
  return { accepted: false, refused, value: values[refusedIndex] ?? 0, values };
}
