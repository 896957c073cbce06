import { negatedDecimal, sumDecimals } from '../core/exact-decimal-sum.ts';
import type { BudgetAlertSink } from '../ports/budget-alert-sink.ts';
import type { Clock } from '../ports/clock.ts';
import type { CounterCharge } from '../ports/counter-charge.ts';
import type { CounterStore } from '../ports/counter-store.ts';
import { budgetAlertCounterKey } from './budget-period.ts';

/** What the request turned out to use. */
export interface ActualUse {
  tokens: number;
  usd: number;
}

export interface SettleOptions {
  counters: CounterStore;
  clock: Pick<Clock, 'now' | 'sleep'>;
  alerts: BudgetAlertSink;
  /** Tries per write, the first included. @default 8 */
  attempts?: number;
  /** @default 50 */
  baseDelayMs?: number;
  /** Called when a counter could not be corrected after every try, so an operator can reconcile it. */
  onLost?: (charge: CounterCharge, delta: number, error: unknown) => void;
}

/** The reservations of one or more requests on one part of a counter item (its value, or one field), and what they used. */
export interface SettlementPart {
  /** The latest charge settled here: its field, expiry, owner and soft threshold. */
  charge: CounterCharge;
  reserved: number[];
  actual: number[];
}

/**
 * What one write settles on one counter item: the hold slot's reservations (budgets), the
 * named fields (rate limits) or the plain value. Settlements of several requests on the same
 * item merge into one, and the write carries the exact decimal sums of their amounts.
 */
export interface CounterSettlement {
  key: string;
  holdSlot: number | undefined;
  parts: SettlementPart[];
}

/** What a charge turned out to use: a request stays counted, tokens and USD are as measured. */
export function actualAmount(charge: CounterCharge, use: ActualUse): number {
  if (charge.measure === 'requests') return charge.reserved;
  return charge.measure === 'usd' ? use.usd : use.tokens;
}

/** Whether ending a charge at `actual` needs a write: a held reservation always does, its slot must give the amount back. */
export function needsSettlement(charge: CounterCharge, actual: number): boolean {
  return actual !== charge.reserved || charge.softThreshold !== undefined || charge.holdSlot !== undefined;
}

/** Settlements that share an id merge into one write: the same item, the same slot, and fields or value alike. */
export function settlementId(charge: CounterCharge): string {
  return `${charge.key}\u0000${charge.holdSlot ?? ''}\u0000${charge.field === undefined ? 'value' : 'fields'}`;
}

/** An empty settlement of the item (and slot) `charge` is on. */
export function settlementFor(charge: CounterCharge): CounterSettlement {
  return { key: charge.key, holdSlot: charge.holdSlot, parts: [] };
}

/** Add the end of one charge (at `actual`) to the settlement of its item (see `settlementId`). */
export function addToSettlement(settlement: CounterSettlement, charge: CounterCharge, actual: number): void {
  const part = settlement.parts.find((each) => each.charge.field === charge.field);
  if (part === undefined) {
    settlement.parts.push({ charge, reserved: [charge.reserved], actual: [actual] });
  } else {
    part.charge = charge;
    part.reserved.push(charge.reserved);
    part.actual.push(actual);
  }
}

/** Σactual − Σreserved of a part, exactly. */
function exactDelta(part: SettlementPart): string {
  return sumDecimals([...part.actual, ...part.reserved.map((amount) => negatedDecimal(amount))]);
}

function latestExpiry(settlement: CounterSettlement): number {
  return Math.max(...settlement.parts.map((part) => part.charge.expiresAt));
}

/**
 * Write a settlement once: a held one takes its reservations out of their slot and adds their
 * use (`settleHold`), fields get their corrections in one `addFields`, a plain value its
 * correction. No ceiling applies: a settlement records what was spent and must land even past
 * the cap. Resolves with the counter's value afterwards (undefined for fields, or when nothing
 * needed writing); rejects when the store fails.
 */
export async function applySettlement(counters: CounterStore, settlement: CounterSettlement): Promise<number | undefined> {
  const { key, holdSlot, parts } = settlement;
  const expiresAt = latestExpiry(settlement);
  if (holdSlot !== undefined) {
    const reserved = sumDecimals(parts.flatMap((part) => part.reserved));
    const actual = sumDecimals(parts.flatMap((part) => part.actual));
    return (await counters.settleHold(key, { slot: holdSlot, reserved, actual, expiresAt })).value;
  }
  const fields = parts.flatMap((part) => {
    const amount = Number(exactDelta(part));
    return part.charge.field === undefined || amount === 0 ? [] : [{ name: part.charge.field, amount }];
  });
  if (fields.length > 0) await counters.addFields(key, fields, { expiresAt });
  const value = parts.find((part) => part.charge.field === undefined);
  if (value === undefined) return undefined;
  const delta = Number(exactDelta(value));
  if (delta === 0 && value.charge.softThreshold === undefined) return undefined;
  return (await counters.add(key, delta, { expiresAt })).value;
}

async function alertOnce(options: SettleOptions, charge: CounterCharge, spent: number): Promise<void> {
  const threshold = charge.softThreshold;
  if (charge.owner.kind !== 'budget' || threshold === undefined || spent < threshold * charge.limit) return;
  const periodStart = charge.periodStart ?? 0;
  // The marker's ceiling of 1 lets exactly one settlement per period win the right to alert.
  const marker = await options.counters.add(budgetAlertCounterKey(charge.owner.id, periodStart), 1, { ceiling: 1, expiresAt: charge.expiresAt });
  if (!marker.accepted) return;
  await options.alerts.emit({
    budgetId: charge.owner.id,
    unit: charge.measure === 'usd' ? 'usd' : 'tokens',
    limit: charge.limit,
    softThreshold: threshold,
    spent,
    periodStart,
    at: options.clock.now(),
  });
}

/**
 * Write a settlement, retrying with exponential backoff while the store is unavailable, then
 * alert on a budget that crossed its soft threshold. Never rejects; a settlement lost after
 * every try goes to `onLost`, once per part, with the correction it could not make.
 */
export async function writeSettlement(options: SettleOptions, settlement: CounterSettlement): Promise<void> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 50;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await options.clock.sleep(Math.min(5_000, base * 2 ** (attempt - 2)));
    let value: number | undefined;
    try {
      value = await applySettlement(options.counters, settlement);
    } catch (error) {
      lastError = error;
      continue;
    }
    if (value === undefined) return;
    for (const part of settlement.parts) {
      try {
        await alertOnce(options, part.charge, value);
      } catch {
        // An alert that fails to send must not fail settlement; the marker may already be set.
      }
    }
    return;
  }
  for (const part of settlement.parts) options.onLost?.(part.charge, Number(exactDelta(part)), lastError);
}

/** The settlements of one request's charges at their actual use (those that need a write), merged per counter item. */
export function planSettlements(charges: readonly CounterCharge[], actual: (charge: CounterCharge) => number): CounterSettlement[] {
  const settlements = new Map<string, CounterSettlement>();
  for (const charge of charges) {
    const amount = actual(charge);
    if (!needsSettlement(charge, amount)) continue;
    const id = settlementId(charge);
    const settlement = settlements.get(id) ?? settlementFor(charge);
    settlements.set(id, settlement);
    addToSettlement(settlement, charge, amount);
  }
  return [...settlements.values()];
}

/**
 * Settle an admitted request at once: add `actual − reserved` to each counter it reserved on
 * (taking a held reservation out of its slot in the same write, a rate window's fields in one
 * write), retrying while the store is unavailable, then alert on budgets that crossed their
 * soft threshold. Never throws. The engine merges settlements of several requests first
 * (budgets/settlement-queue.ts).
 */
export async function settleCharges(options: SettleOptions, charges: readonly CounterCharge[], use: ActualUse): Promise<void> {
  await Promise.all(planSettlements(charges, (charge) => actualAmount(charge, use)).map((settlement) => writeSettlement(options, settlement)));
}
