import { budgetCounterKey, budgetPeriodBounds } from '../budgets/budget-period.ts';
import { budgetUsageFigures } from '../budgets/budget-usage.ts';
import type { JsonObject } from '../core/json.ts';
import type { CallerIdentity } from '../keys/access-records.ts';
import type { CounterState, CounterStore } from '../ports/counter-store.ts';
import { rateCounterKey, rateWindowStart } from '../ratelimit/rate-limit-window.ts';
import type { CallerLimits } from './limit-definitions.ts';

/**
 * The body of `GET /v1/usage`: the caller's own budgets (spent, reserved by requests in flight,
 * and what remains this period) and rate limits (use in the current window), read from the
 * counters in one batch.
 */
export async function usageReport(counters: CounterStore, identity: CallerIdentity, limits: CallerLimits, nowMs: number): Promise<JsonObject> {
  const budgets = limits.budgets.map((budget) => ({ budget, bounds: budgetPeriodBounds(budget.period, nowMs) }));
  const windowStart = rateWindowStart(nowMs);
  const keys = [
    ...budgets.map(({ budget, bounds }) => budgetCounterKey(budget.id, bounds.start)),
    ...limits.rateLimits.map(({ subject }) => rateCounterKey(subject, windowStart)),
  ];
  const states = keys.length === 0 ? new Map<string, CounterState>() : await counters.getStates(keys);
  // A window's requests and tokens are fields of its one item.
  const used = (subject: string, measure: 'requests' | 'tokens'): number => states.get(rateCounterKey(subject, windowStart))?.fields?.[measure] ?? 0;
  return {
    object: 'usage',
    caller: { kind: identity.kind, id: identity.id, workspace_id: identity.workspaceId ?? null },
    budgets: budgets.map(({ budget, bounds }) => {
      const figures = budgetUsageFigures(budget.limit, states.get(budgetCounterKey(budget.id, bounds.start)) ?? { value: 0, holds: [] });
      return {
        budget_id: budget.id,
        unit: budget.unit,
        limit: budget.limit,
        period: budget.period,
        period_start: budget.period === 'none' ? null : new Date(bounds.start * 1000).toISOString(),
        spent: figures.spent,
        reserved: figures.reserved,
        remaining: figures.remaining,
      };
    }),
    rate_limits: limits.rateLimits.map(({ subject, definition }) => ({
      rate_limit_id: definition.id,
      applies_to: subject,
      requests_per_minute: definition.requestsPerMinute ?? null,
      tokens_per_minute: definition.tokensPerMinute ?? null,
      window_start: new Date(windowStart * 1000).toISOString(),
      requests_used: used(subject, 'requests'),
      tokens_used: used(subject, 'tokens'),
    })),
  };
}
