import type { Clock } from '../ports/clock.ts';
import type { BudgetAlertSink } from '../ports/budget-alert-sink.ts';
import type { CounterStore } from '../ports/counter-store.ts';
import type { CounterCharge } from '../ports/counter-charge.ts';
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
  /** Tries per counter, the first included. @default 8 */
  attempts?: number;
  /** @default 50 */
  baseDelayMs?: number;
  /** Called when a counter could not be corrected after every try, so an operator can reconcile it. */
  onLost?: (charge: CounterCharge, delta: number, error: unknown) => void;
}

function actualAmount(charge: CounterCharge, use: ActualUse): number {
  if (charge.measure === 'requests') return charge.reserved;
  return charge.measure === 'usd' ? use.usd : use.tokens;
}

/** One correction of a counter: the slot's settlement for a held reservation, else `actual − reserved`. */
async function correct(counters: CounterStore, charge: CounterCharge, actual: number): Promise<number> {
  if (charge.holdSlot !== undefined) {
    const settlement = { slot: charge.holdSlot, reserved: charge.reserved, actual, expiresAt: charge.expiresAt };
    return (await counters.settleHold(charge.key, settlement)).value;
  }
  // No ceiling: a settlement records what was spent and must land even past the cap.
  return (await counters.add(charge.key, actual - charge.reserved, { expiresAt: charge.expiresAt })).value;
}

async function correctWithRetries(options: SettleOptions, charge: CounterCharge, actual: number): Promise<number | undefined> {
  const attempts = options.attempts ?? 8;
  const base = options.baseDelayMs ?? 50;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await options.clock.sleep(Math.min(5_000, base * 2 ** (attempt - 2)));
    try {
      return await correct(options.counters, charge, actual);
    } catch (error) {
      lastError = error;
    }
  }
  options.onLost?.(charge, actual - charge.reserved, lastError);
  return undefined;
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
 * Settle an admitted request: add `actual − reserved` to each counter it reserved on (taking a
 * held reservation out of its slot in the same write), retrying
 * with exponential backoff while the store is unavailable, then alert on budgets that crossed
 * their soft threshold. Never throws; a correction lost after every try goes to `onLost`.
 */
export async function settleCharges(options: SettleOptions, charges: readonly CounterCharge[], use: ActualUse): Promise<void> {
  await Promise.all(
    charges.map(async (charge) => {
      const actual = actualAmount(charge, use);
      // A held reservation always settles: its slot must give the amount back.
      if (actual === charge.reserved && charge.softThreshold === undefined && charge.holdSlot === undefined) return;
      const value = await correctWithRetries(options, charge, actual);
      if (value === undefined) return;
      try {
        await alertOnce(options, charge, value);
      } catch {
        // An alert that fails to send must not fail settlement; the marker may already be set.
      }
    }),
  );
}
