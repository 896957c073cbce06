/** Control item kind of budget definitions (id = the `budgetId` keys and principals carry, or `workspace:<id>`). */
export const BUDGET_KIND = 'budget';

export type BudgetUnit = 'usd' | 'tokens';
export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | 'none';

/**
 * A spending cap. Every key or principal that names the budget draws on the same counter, so a
 * budget shared by several keys is one pool; give each key its own budget for per-key caps.
 */
export interface BudgetDefinition {
  id: string;
  unit: BudgetUnit;
  /** The hard cap, in USD or tokens per period. */
  limit: number;
  period: BudgetPeriod;
  /** Fraction of the limit (0–1) whose crossing emits one alert per period; absent = no alert. */
  softThreshold?: number;
}

const UNITS: readonly string[] = ['usd', 'tokens'];
const PERIODS: readonly string[] = ['daily', 'weekly', 'monthly', 'none'];

/** Read a stored definition; undefined when it is malformed (a broken definition enforces nothing rather than blocking all traffic). */
export function parseBudgetDefinition(id: string, data: Readonly<Record<string, unknown>>): BudgetDefinition | undefined {
  const { unit, limit, period, softThreshold } = data;
  if (typeof unit !== 'string' || !UNITS.includes(unit)) return undefined;
  if (typeof period !== 'string' || !PERIODS.includes(period)) return undefined;
  if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) return undefined;
  const definition: BudgetDefinition = { id, unit: unit as BudgetUnit, limit, period: period as BudgetPeriod };
  if (typeof softThreshold === 'number' && softThreshold > 0 && softThreshold <= 1) definition.softThreshold = softThreshold;
  return definition;
}
