import type { Environment } from './read-runtime-options.ts';

export interface AnalyticsOptions {
  /** The length of each rollup window, equal to the schedule's rate. */
  windowMinutes: number;
}

const DEFAULT_WINDOW_MINUTES = 60;

/** Read the analytics function's settings; the stack sets TURNPIKE_ANALYTICS_WINDOW_MINUTES from its schedule. */
export function readAnalyticsOptions(env: Environment): AnalyticsOptions {
  const raw = env.TURNPIKE_ANALYTICS_WINDOW_MINUTES;
  if (raw === undefined || raw === '') return { windowMinutes: DEFAULT_WINDOW_MINUTES };
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`TURNPIKE_ANALYTICS_WINDOW_MINUTES must be a positive whole number, got "${raw}".`);
  }
  return { windowMinutes: value };
}
