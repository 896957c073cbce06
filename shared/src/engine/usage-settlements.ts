import { SettlementQueue } from '../budgets/settlement-queue.ts';
import type { BudgetAlertSink } from '../ports/budget-alert-sink.ts';
import type { Clock } from '../ports/clock.ts';
import type { CounterStore } from '../ports/counter-store.ts';

/** A JSON log line per alert: what `npm start` does, so an operator can pipe it to a webhook. */
export const LOG_BUDGET_ALERTS: BudgetAlertSink = {
  emit(alert) {
    console.warn(JSON.stringify({ level: 'WARN', message: 'budget soft threshold crossed', event: 'turnpike.budget.threshold', ...alert }));
    return Promise.resolve();
  },
};

/** How long the local server lets settlements of the same counter gather into one write. */
export const LOCAL_SETTLE_COALESCE_MS = 20;

/**
 * The settlement queue of one runtime: alerts to `budgetAlerts` (a log line by default), a
 * settlement lost after every retry logged as an error for an operator to reconcile, writes
 * coalesced over `settleCoalesceMs` (default 0: each request's at once).
 */
export function createUsageSettlements(
  counters: CounterStore,
  clock: Clock,
  settings: { budgetAlerts?: BudgetAlertSink | undefined; settleCoalesceMs?: number | undefined } = {},
): SettlementQueue {
  return new SettlementQueue({
    counters,
    clock,
    alerts: settings.budgetAlerts ?? LOG_BUDGET_ALERTS,
    coalesceMs: settings.settleCoalesceMs ?? 0,
    onLost: (charge, delta, error) =>
      console.error(JSON.stringify({ level: 'ERROR', message: 'budget settlement lost', counter: charge.key, field: charge.field, delta, error: String(error) })),
  });
}
