import { GatewayError } from '../core/gateway-error.ts';
import type { JsonObject } from '../core/json.ts';
import type { RollupDimension, RollupGranularity, RollupMetrics, RollupRow, RollupStore } from '../ports/rollup-store.ts';
import { invalidField } from './admin-errors.ts';
import type { AdminContext, AdminRoute } from './admin-route.ts';
import { jsonResponse } from './admin-route.ts';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Windows one call may read: a month of hours, a year of days. */
const MAX_WINDOWS: Record<RollupGranularity, number> = { hour: 744, day: 366 };
/** Window reads in flight at once. */
const READ_BATCH = 12;

/** The groups an analytics query asks about; absent = every value. */
export interface AnalyticsGroupFilter {
  workspaceId?: string;
  apiKeyId?: string;
  provider?: string;
  model?: string;
}

/** Which rollup rows answer a filter: one row of a single dimension, or the cells that match. */
export interface RollupSelection {
  dimension: RollupDimension;
  /** Keep a row of that dimension. */
  keep(row: RollupRow): boolean;
  /** Percentiles survive only when exactly one stored row is read per window. */
  exactPercentiles: boolean;
}

/**
 * The rows that answer a filter: none → the `all` row; one → that dimension's row; several →
 * the matching `cell` rows, summed (their percentiles cannot be combined and are left out).
 */
export function selectRollupRows(filter: AnalyticsGroupFilter): RollupSelection {
  const candidates: [RollupDimension, string | undefined][] = [
    ['workspace', filter.workspaceId],
    ['api-key', filter.apiKeyId],
    ['provider', filter.provider],
    ['model', filter.model],
  ];
  const given = candidates.filter((pair): pair is [RollupDimension, string] => pair[1] !== undefined);
  if (given.length === 0) return { dimension: 'all', keep: () => true, exactPercentiles: true };
  const [only] = given;
  if (given.length === 1 && only !== undefined) return { dimension: only[0], keep: (row) => row.key === only[1], exactPercentiles: true };
  const wanted = [filter.workspaceId, filter.apiKeyId, filter.provider, filter.model];
  return {
    dimension: 'cell',
    keep(row) {
      let parts: unknown;
      try {
        parts = JSON.parse(row.key);
      } catch {
        return false;
      }
      return Array.isArray(parts) && wanted.every((value, index) => value === undefined || parts[index] === value);
    },
    exactPercentiles: false,
  };
}

/** The window starts of `[from, to)` at a granularity, oldest first. */
export function windowStarts(granularity: RollupGranularity, from: number, to: number): number[] {
  const size = granularity === 'hour' ? HOUR_MS : DAY_MS;
  const starts: number[] = [];
  for (let start = Math.floor(from / size) * size; start < to; start += size) {
    starts.push(start);
    if (starts.length > MAX_WINDOWS[granularity]) {
      throw invalidField('from', `a ${granularity} query may span at most ${MAX_WINDOWS[granularity]} windows`);
    }
  }
  return starts;
}

/** One window's figures as the API shows them. */
export function presentWindow(windowStart: number, rows: readonly RollupRow[], exactPercentiles: boolean): JsonObject {
  const sum = (name: keyof RollupMetrics): number => rows.reduce((total, row) => total + row.metrics[name], 0);
  const requests = sum('requests');
  const single = exactPercentiles && rows.length === 1 ? rows[0] : undefined;
  return {
    window_start: new Date(windowStart).toISOString(),
    requests,
    errors: sum('errors'),
    prompt_tokens: sum('promptTokens'),
    completion_tokens: sum('completionTokens'),
    cached_tokens: sum('cachedTokens'),
    cost: sum('cost'),
    cache_hits: sum('cacheHits'),
    latency_avg_ms: requests === 0 ? null : sum('latencySumMs') / requests,
    latency_p50_ms: single?.metrics.latencyP50Ms ?? null,
    latency_p90_ms: single?.metrics.latencyP90Ms ?? null,
    latency_p99_ms: single?.metrics.latencyP99Ms ?? null,
  };
}

function readTime(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const time = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(time)) throw invalidField(name, 'expected an ISO 8601 time such as 2026-01-31T00:00:00Z');
  return time;
}

function readFilter(query: URLSearchParams): AnalyticsGroupFilter {
  const filter: AnalyticsGroupFilter = {};
  const names = [
    ['workspace_id', 'workspaceId'],
    ['api_key_id', 'apiKeyId'],
    ['provider', 'provider'],
    ['model', 'model'],
  ] as const;
  for (const [param, field] of names) {
    const value = query.get(param);
    if (value !== null && value !== '') filter[field] = value;
  }
  return filter;
}

function rollupStoreOf(context: AdminContext): RollupStore {
  if (context.rollups === undefined) {
    throw new GatewayError('Analytics are not available on this deployment.', { status: 501, type: 'api_error', code: 'analytics_unavailable', retryable: false });
  }
  return context.rollups;
}

/** Read every window's matching rows, a batch of windows at a time. */
async function readWindows(rollups: RollupStore, granularity: RollupGranularity, starts: readonly number[], selection: RollupSelection): Promise<JsonObject[]> {
  const windows: JsonObject[] = [];
  for (let index = 0; index < starts.length; index += READ_BATCH) {
    const batch = starts.slice(index, index + READ_BATCH);
    const rows = await Promise.all(batch.map((start) => rollups.list(granularity, start, selection.dimension)));
    for (const [offset, start] of batch.entries()) {
      windows.push(presentWindow(start, (rows[offset] ?? []).filter(selection.keep), selection.exactPercentiles));
    }
  }
  return windows;
}

/**
 * `GET /v1/analytics`: the rollups the analytics function wrote, one entry per window of
 * `[from, to)` (windows not rolled up yet show zeros). Defaults: hours over the last 24 hours,
 * days over the last 30 days.
 */
export const analyticsRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/v1/analytics',
    async handler({ context, query }) {
      const rawGranularity = query.get('granularity') ?? 'hour';
      if (rawGranularity !== 'hour' && rawGranularity !== 'day') throw invalidField('granularity', 'expected "hour" or "day"');
      const granularity: RollupGranularity = rawGranularity;
      const to = readTime(query, 'to', context.clock.now());
      const from = readTime(query, 'from', to - (granularity === 'hour' ? 24 * HOUR_MS : 30 * DAY_MS));
      if (from >= to) throw invalidField('from', 'must be before `to`');
      const selection = selectRollupRows(readFilter(query));
      const data = await readWindows(rollupStoreOf(context), granularity, windowStarts(granularity, from, to), selection);
      return jsonResponse({
        granularity,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        dimension: selection.dimension,
        data,
      });
    },
  },
];
