import type { LogEntry } from '../ports/log-store.ts';
import type { LogFilters } from './log-query-params.ts';
import { logMetadata } from './present-log-entry.ts';

const numberField = (entry: LogEntry, name: string): number | undefined => {
  const value = entry.data[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
};
const textField = (entry: LogEntry, name: string): string | undefined => {
  const value = entry.data[name];
  return typeof value === 'string' ? value : undefined;
};

function statusMatches(wanted: LogFilters['status'], status: number | undefined): boolean {
  if (wanted === undefined) return true;
  if (status === undefined) return false;
  if (wanted === 'error') return status >= 400;
  if (wanted === 'success') return status < 400;
  return status === wanted;
}

/**
 * Whether a record an index query returned passes the filters no index serves. The id filters
 * are checked too, since only one of them picked the index.
 */
export function logMatchesFilters(entry: LogEntry, filters: LogFilters): boolean {
  if (filters.traceId !== undefined && entry.traceId !== filters.traceId) return false;
  if (filters.apiKeyId !== undefined && (entry.apiKeyId ?? textField(entry, 'apiKeyId')) !== filters.apiKeyId) return false;
  if (filters.workspaceId !== undefined && (entry.workspaceId ?? textField(entry, 'workspaceId')) !== filters.workspaceId) return false;
  if (filters.provider !== undefined && textField(entry, 'provider') !== filters.provider) return false;
  if (filters.model !== undefined && textField(entry, 'model') !== filters.model) return false;
  if (!statusMatches(filters.status, numberField(entry, 'status'))) return false;
  if (filters.minCost !== undefined && (numberField(entry, 'cost') ?? 0) < filters.minCost) return false;
  if (filters.minLatencyMs !== undefined && (numberField(entry, 'latencyMs') ?? 0) < filters.minLatencyMs) return false;
  if (filters.metadata.length > 0) {
    const metadata = logMetadata(entry.data);
    if (!filters.metadata.every(([key, value]) => metadata[key] === value)) return false;
  }
  return true;
}
