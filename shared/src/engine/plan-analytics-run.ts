import { rollupWindow } from '../analytics/rollup-window.ts';
import { type RollupRunResult, runRollups } from '../analytics/run-rollups.ts';
import type { Clock } from '../ports/clock.ts';
import type { LogStore } from '../ports/log-store.ts';
import type { RollupStore } from '../ports/rollup-store.ts';

/** The parts of an EventBridge scheduled event the analytics run reads. */
export interface ScheduledEvent {
  /** When the schedule fired, ISO-8601 UTC. */
  time: string;
  id?: string;
  'detail-type'?: string;
}

/** What one analytics run covers. */
export interface AnalyticsRunPlan {
  /** Start of the window, inclusive, ISO-8601 UTC. */
  windowStart: string;
  /** End of the window, exclusive, ISO-8601 UTC. */
  windowEnd: string;
  windowMinutes: number;
  /** The scheduled time the window was derived from. */
  scheduledAt: string;
}

/** A finished run, logged as one structured `analytics run` line. */
export interface AnalyticsRunReport extends AnalyticsRunPlan {
  rollups: RollupRunResult;
}

/** What the analytics run reads and writes. */
export interface AnalyticsStores {
  logs: Pick<LogStore, 'query'>;
  rollups: RollupStore;
  clock: Pick<Clock, 'now'>;
}

/**
 * Plan the analytics run for a scheduled event: the window of request logs it rolls up. A
 * missing or unreadable event time falls back to `now`, so a manual test invoke still works.
 */
export function planAnalyticsRun(event: Partial<ScheduledEvent>, windowMinutes: number, now: Date = new Date()): AnalyticsRunPlan {
  const scheduled = event.time === undefined ? now : new Date(event.time);
  const runTime = Number.isNaN(scheduled.getTime()) ? now : scheduled;
  const window = rollupWindow(runTime, windowMinutes);
  return {
    windowStart: window.start.toISOString(),
    windowEnd: window.end.toISOString(),
    windowMinutes,
    scheduledAt: runTime.toISOString(),
  };
}

// Stop starting new windows this long before the function's deadline; the next run resumes.
const DEADLINE_MARGIN_MS = 30_000;

/**
 * Run the rollups for a scheduled event (analytics/run-rollups.ts): the window comes from
 * the event, so EventBridge's retries of one event compute the same thing.
 * `remainingMs` (the Lambda context's `getRemainingTimeInMillis`) stops the run early enough
 * to end cleanly; the checkpoint lets the next run carry on.
 */
export async function runScheduledAnalytics(
  event: Partial<ScheduledEvent>,
  stores: AnalyticsStores,
  options: { windowMinutes: number; remainingMs?: () => number },
): Promise<AnalyticsRunReport> {
  const now = stores.clock.now();
  const plan = planAnalyticsRun(event, options.windowMinutes, new Date(now));
  const { remainingMs } = options;
  const rollups = await runRollups({
    logs: stores.logs,
    rollups: stores.rollups,
    windowEnd: Date.parse(plan.windowEnd),
    now,
    ...(remainingMs === undefined ? {} : { shouldStop: () => remainingMs() < DEADLINE_MARGIN_MS }),
  });
  return { ...plan, rollups };
}
