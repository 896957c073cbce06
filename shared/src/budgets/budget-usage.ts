import type { CounterState } from '../ports/counter-store.ts';

/** A budget counter read for people: what was spent, what in-flight requests hold, what is left. */
export interface BudgetUsageFigures {
  /** Settled spend this period. */
  spent: number;
  /** Reservations of requests still running (and of crashed ones until their lease runs out). */
  reserved: number;
  /** The cap minus both, never below 0. */
  remaining: number;
}

// The counter adds decimals exactly; the subtraction here is in float, so its noise is rounded off.
const tidy = (amount: number): number => Math.round(amount * 1e9) / 1e9;

/** Split a budget counter (spend + every hold slot) into spent and reserved. */
export function budgetUsageFigures(limit: number, state: CounterState): BudgetUsageFigures {
  const reserved = tidy(state.holds.reduce((total, hold) => total + hold.amount, 0));
  return { spent: tidy(state.value - reserved), reserved, remaining: Math.max(0, tidy(limit - state.value)) };
}
