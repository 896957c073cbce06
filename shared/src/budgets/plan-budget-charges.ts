import type { CounterCharge } from '../ports/counter-charge.ts';
import type { BudgetDefinition } from './budget-definition.ts';
import { budgetCounterKey, budgetPeriodBounds } from './budget-period.ts';
import { holdSlotStart } from './reservation-hold.ts';

/** The request's worst case: estimated prompt tokens plus its output cap, and those tokens priced. */
export interface WorstCase {
  tokens: number;
  usd: number;
}

/** The budget counters a request reserves its worst case on, one per budget for the current period, each held in the current slot. */
export function planBudgetCharges(budgets: readonly BudgetDefinition[], worstCase: WorstCase, nowMs: number): CounterCharge[] {
  const holdSlot = holdSlotStart(nowMs);
  return budgets.map((definition) => {
    const { start, end } = budgetPeriodBounds(definition.period, nowMs);
    const measure = definition.unit === 'usd' ? 'usd' : 'tokens';
    const charge: CounterCharge = {
      key: budgetCounterKey(definition.id, start),
      reserved: measure === 'usd' ? worstCase.usd : worstCase.tokens,
      expiresAt: end,
      measure,
      limit: definition.limit,
      owner: { kind: 'budget', id: definition.id },
      periodStart: start,
      holdSlot,
    };
    if (definition.softThreshold !== undefined) charge.softThreshold = definition.softThreshold;
    return charge;
  });
}
