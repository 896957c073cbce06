import type { LogStore } from '../ports/log-store.ts';
import type { RollupGranularity, RollupRow, RollupStore } from '../ports/rollup-store.ts';
import { computeRollups } from './compute-rollups.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const DAY_SECONDS = 86_400;
// The checkpoint's name in the rollup store: every hour (and day) ending at or before it is final.
const CHECKPOINT = 'hourly';
// Rows of one window are written this many at a time.
const WRITE_CONCURRENCY = 8;

export interface RollupRunOptions {
  logs: Pick<LogStore, 'query'>;
  rollups: RollupStore;
  /** End of the window the schedule covers (exclusive, epoch ms); the run reads no log at or after it. */
  windowEnd: number;
  /** When the run started (epoch ms): rows remember it so an older run never overwrites a newer one. */
  now: number;
  /**
   * How long after an hour ends its logs may still arrive: a log is written after the last
   * byte of a request that may run as long as the gateway's timeout (15 minutes at most on
   * Lambda), and failed writes are retried. An hour is final, and the checkpoint passes it,
   * only once this much time has gone by; until then each run recomputes it.
   * @default 20 minutes
   */
  settleMs?: number;
  /** The oldest hour a run goes back to when the checkpoint is older or absent. @default 48 */
  maxCatchUpHours?: number;
  /** Recompute from this time on (a backfill), whatever the checkpoint says. */
  from?: number;
  /** Retention of hour rows and day rows. @default { hourDays: 90, dayDays: 730 } */
  retention?: { hourDays: number; dayDays: number };
  /** Asked before each window; true stops the run there (the next run resumes from the checkpoint). */
  shouldStop?: () => boolean;
}

export interface RollupRunResult {
  /** Hour windows computed, final or not, ISO. */
  hours: string[];
  /** Day windows computed, ISO. */
  days: string[];
  rowsWritten: number;
  /** How far the rollups are final after this run, ISO. */
  checkpoint: string | undefined;
  /** False when `shouldStop` cut the run short. */
  complete: boolean;
}

const iso = (epochMs: number): string => new Date(epochMs).toISOString();
const floorTo = (epochMs: number, unit: number): number => Math.floor(epochMs / unit) * unit;

async function writeRows(rollups: RollupStore, rows: readonly RollupRow[], computedAt: number, retentionDays: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const row = rows[next++] as RollupRow;
      await rollups.put(row, { computedAt, expiresAt: Math.floor(row.windowStart / 1000) + retentionDays * DAY_SECONDS });
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, rows.length) }, worker));
}

/**
 * Roll the request logs up into hour and day rows (per deployment, workspace, key, provider,
 * model and their combination): requests, errors, tokens, cost, cache hits, latency p50/p90/p99.
 *
 * Idempotent by construction: every row is recomputed from the raw logs of its window and
 * written as absolute figures, so running twice over the same window writes the same numbers,
 * and a run that failed half-way is simply run again. The checkpoint only says where to
 * start: hours from the checkpoint to `windowEnd` are (re)computed in order, and the
 * checkpoint moves past an hour once its logs have settled. A day is computed from the raw
 * logs of the whole day (exact percentiles cannot be merged from hours) when its last hour
 * becomes final, before the checkpoint passes it, so a crash in between only repeats the day.
 */
export async function runRollups(options: RollupRunOptions): Promise<RollupRunResult> {
  const { logs, rollups, windowEnd, now } = options;
  const settleMs = options.settleMs ?? 20 * 60_000;
  const retention = options.retention ?? { hourDays: 90, dayDays: 730 };
  const oldest = floorTo(windowEnd, HOUR_MS) - (options.maxCatchUpHours ?? 48) * HOUR_MS;
  const checkpoint = await rollups.readCheckpoint(CHECKPOINT);
  // A backfill goes where it is told; a scheduled run resumes at the checkpoint, within reach.
  const first = options.from !== undefined ? floorTo(options.from, HOUR_MS) : Math.max(floorTo(checkpoint ?? windowEnd - settleMs - HOUR_MS, HOUR_MS), oldest);
  const result: RollupRunResult = { hours: [], days: [], rowsWritten: 0, checkpoint: checkpoint === undefined ? undefined : iso(checkpoint), complete: true };

  const compute = async (granularity: RollupGranularity, start: number, end: number, retentionDays: number): Promise<void> => {
    const rows = await computeRollups(logs, granularity, start, end);
    await writeRows(rollups, rows, now, retentionDays);
    result.rowsWritten += rows.length;
  };

  for (let hour = first; hour < windowEnd; hour += HOUR_MS) {
    if (options.shouldStop?.() === true) {
      result.complete = false;
      break;
    }
    const hourEnd = hour + HOUR_MS;
    await compute('hour', hour, Math.min(hourEnd, windowEnd), retention.hourDays);
    result.hours.push(iso(hour));
    // Later hours are provisional too: they are computed now and again by the next runs.
    if (hourEnd + settleMs > windowEnd) continue;
    if (hourEnd % DAY_MS === 0) {
      await compute('day', hourEnd - DAY_MS, hourEnd, retention.dayDays);
      result.days.push(iso(hourEnd - DAY_MS));
    }
    if (await rollups.advanceCheckpoint(CHECKPOINT, hourEnd)) result.checkpoint = iso(hourEnd);
  }
  return result;
}
