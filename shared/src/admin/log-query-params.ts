import type { LogSelector } from '../ports/log-store.ts';
import { invalidField } from './admin-errors.ts';

/** The filters of `GET /v1/logs` that no index serves: checked on each record an index query returns. */
export interface LogFilters {
  traceId?: string;
  apiKeyId?: string;
  workspaceId?: string;
  provider?: string;
  model?: string;
  /** An exact HTTP status, or every error (≥ 400) / every success (< 400). */
  status?: number | 'error' | 'success';
  /** Every pair must be in the record's metadata. */
  metadata: readonly (readonly [string, string])[];
  minCost?: number;
  minLatencyMs?: number;
}

/** A parsed `GET /v1/logs` query: which index to read, over which range, and what to keep. */
export interface LogListQuery {
  select: LogSelector;
  /** Epoch ms, inclusive; undefined only for a trace query without `from`. */
  from: number | undefined;
  /** Epoch ms, exclusive. */
  to: number | undefined;
  filters: LogFilters;
}

/** The default time range when `from` is absent. */
export const DEFAULT_LOG_RANGE_MS = 3_600_000;

function readTime(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const time = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(time)) throw invalidField(name, 'expected an ISO 8601 time such as 2026-01-31T12:00:00Z');
  return time;
}

function readText(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  return raw === null || raw === '' ? undefined : raw;
}

function readMinimum(query: URLSearchParams, name: string): number | undefined {
  const raw = readText(query, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+(?:\.\d+)?$/.test(raw) || !Number.isFinite(value)) throw invalidField(name, 'expected a number ≥ 0');
  return value;
}

function readStatus(query: URLSearchParams): LogFilters['status'] {
  const raw = readText(query, 'status');
  if (raw === undefined) return undefined;
  if (raw === 'error' || raw === 'success') return raw;
  const value = Number(raw);
  if (!/^\d{3}$/.test(raw) || value < 100 || value > 599) throw invalidField('status', 'expected an HTTP status (100-599), "error" or "success"');
  return value;
}

function readMetadata(query: URLSearchParams): [string, string][] {
  return query.getAll('metadata').map((pair) => {
    const separator = pair.indexOf(':');
    if (separator <= 0) throw invalidField('metadata', `expected key:value, got ${JSON.stringify(pair)}`);
    return [pair.slice(0, separator), pair.slice(separator + 1)];
  });
}

/**
 * The index a log query reads, most selective first: a trace id is one partition of the table,
 * then a key's or a workspace's index, else the day index over the time range. Never a Scan.
 */
export function selectLogIndex(filters: Pick<LogFilters, 'traceId' | 'apiKeyId' | 'workspaceId'>): LogSelector {
  if (filters.traceId !== undefined) return { by: 'trace', traceId: filters.traceId };
  if (filters.apiKeyId !== undefined) return { by: 'api-key', apiKeyId: filters.apiKeyId };
  if (filters.workspaceId !== undefined) return { by: 'workspace', workspaceId: filters.workspaceId };
  return { by: 'time' };
}

/**
 * Read the query string of `GET /v1/logs`. `from`/`to` default to the last hour before `now`,
 * except for a trace id, which is read whole unless a range is given.
 */
export function readLogListQuery(query: URLSearchParams, now: number): LogListQuery {
  const filters: LogFilters = { metadata: readMetadata(query) };
  const texts = [
    ['trace_id', 'traceId'],
    ['api_key_id', 'apiKeyId'],
    ['workspace_id', 'workspaceId'],
    ['provider', 'provider'],
    ['model', 'model'],
  ] as const;
  for (const [param, field] of texts) {
    const value = readText(query, param);
    if (value !== undefined) filters[field] = value;
  }
  const status = readStatus(query);
  const minCost = readMinimum(query, 'min_cost');
  const minLatencyMs = readMinimum(query, 'min_latency_ms');
  if (status !== undefined) filters.status = status;
  if (minCost !== undefined) filters.minCost = minCost;
  if (minLatencyMs !== undefined) filters.minLatencyMs = minLatencyMs;

  const select = selectLogIndex(filters);
  let from = readTime(query, 'from');
  let to = readTime(query, 'to');
  if (select.by !== 'trace') {
    to ??= now;
    from ??= to - DEFAULT_LOG_RANGE_MS;
  }
  if (from !== undefined && to !== undefined && from >= to) throw invalidField('from', 'must be before `to`');
  return { select, from, to, filters };
}
