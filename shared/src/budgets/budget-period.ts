import type { BudgetPeriod } from './budget-definition.ts';

/** A period without end still needs an expiry on its counter; DynamoDB TTL wants a date. */
const NO_PERIOD_EXPIRY_SECONDS = 100 * 365 * 86_400;

/** Start and end (epoch seconds, UTC) of the period holding `nowMs`; weeks start on Monday. */
export function budgetPeriodBounds(period: BudgetPeriod, nowMs: number): { start: number; end: number } {
  const now = new Date(nowMs);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  switch (period) {
    case 'daily':
      return { start: Date.UTC(year, month, day) / 1000, end: Date.UTC(year, month, day + 1) / 1000 };
    case 'weekly': {
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      return { start: Date.UTC(year, month, day - sinceMonday) / 1000, end: Date.UTC(year, month, day - sinceMonday + 7) / 1000 };
    }
    case 'monthly':
      return { start: Date.UTC(year, month, 1) / 1000, end: Date.UTC(year, month + 1, 1) / 1000 };
    case 'none':
      return { start: 0, end: Math.floor(nowMs / 1000) + NO_PERIOD_EXPIRY_SECONDS };
  }
}

/** The spend counter of one budget period. */
export function budgetCounterKey(budgetId: string, periodStart: number): string {
  return `budget#${budgetId}#${periodStart}`;
}

/** The once-per-period marker of a budget's soft-threshold alert. */
export function budgetAlertCounterKey(budgetId: string, periodStart: number): string {
  return `budget-alert#${budgetId}#${periodStart}`;
}
