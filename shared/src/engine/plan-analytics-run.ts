import { rollupWindow } from '../analytics/rollup-window.ts';

/** The parts of an EventBridge scheduled event the analytics run reads. */
export interface ScheduledEvent {
  /** When the schedule fired, ISO-8601 UTC. */
  time: string;
  id?: string;
  'detail-type'?: string;
}

/** What one analytics run covers, logged as one structured line. */
export interface AnalyticsRunPlan {
  /** Start of the window, inclusive, ISO-8601 UTC. */
  windowStart: string;
  /** End of the window, exclusive, ISO-8601 UTC. */
  windowEnd: string;
  windowMinutes: number;
  /** The scheduled time the window was derived from. */
  scheduledAt: string;
  /** `pending` until the log rollups exist (observability issue); then the rows written. */
  rollups: 'pending';
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
    rollups: 'pending',
  };
}
