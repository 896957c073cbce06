/** A half-open time range `[start, end)` that one analytics run covers. */
export interface RollupWindow {
  start: Date;
  end: Date;
}

/**
 * The last complete window before `runTime`, aligned to multiples of `windowMinutes` since the
 * epoch (UTC). EventBridge rate schedules fire at arbitrary offsets and may retry, so aligning
 * makes every run of the same period cover the same window, and a retried run can be made
 * idempotent by keying rollups on the window start.
 */
export function rollupWindow(runTime: Date, windowMinutes: number): RollupWindow {
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1) {
    throw new RangeError(`windowMinutes must be a positive whole number, got ${windowMinutes}.`);
  }
  const length = windowMinutes * 60_000;
  const end = Math.floor(runTime.getTime() / length) * length;
  return { start: new Date(end - length), end: new Date(end) };
}
