import { GatewayError } from '../core/gateway-error.ts';
import type { JsonObject, JsonValue } from '../core/json.ts';
import { decodeLoggedBodies } from '../logging/encode-logged-bodies.ts';
import type { LogEntry, LogStore } from '../ports/log-store.ts';
import type { Page } from '../ports/page.ts';
import { resourceNotFound } from './admin-errors.ts';
import { listResponse, readPageRequest } from './admin-listing.ts';
import type { AdminContext, AdminRoute } from './admin-route.ts';
import { jsonResponse } from './admin-route.ts';
import { logMatchesFilters } from './log-filters.ts';
import { type LogListQuery, readLogListQuery } from './log-query-params.ts';
import { decodeLogCursor, encodeLogCursor } from './log-cursor.ts';
import { presentFeedback, presentLogEntry } from './present-log-entry.ts';

/** Index reads one page may make while filters drop records, so one call stays bounded. */
const MAX_READS = 10;
/** The most records one trace shows (a client reusing a trace id for ever is not a trace). */
const MAX_TRACE_RECORDS = 1000;

/** 501 when this deployment was built without a Logs table (a test runtime, an old composition root). */
export function logStoreOf(context: AdminContext): LogStore {
  if (context.logs === undefined) {
    throw new GatewayError('Request logs are not available on this deployment.', { status: 501, type: 'api_error', code: 'logs_unavailable', retryable: false });
  }
  return context.logs;
}

/**
 * One page of matching records. Each index read asks only for the records still missing, so the
 * index cursor sits right after the last record read and nothing is skipped; filters that no
 * index serves may leave a page short of `limit` while a cursor remains.
 */
export async function readLogPage(logs: LogStore, query: LogListQuery, limit: number, cursor: string | undefined): Promise<Page<LogEntry>> {
  const items: LogEntry[] = [];
  let storeCursor = cursor;
  for (let reads = 0; reads < MAX_READS && items.length < limit; reads++) {
    const page = await logs.query({
      select: query.select,
      ...(query.from === undefined ? {} : { from: query.from }),
      ...(query.to === undefined ? {} : { to: query.to }),
      order: 'newest-first',
      omitBodies: true,
      limit: limit - items.length,
      ...(storeCursor === undefined ? {} : { cursor: storeCursor }),
    });
    items.push(...page.items.filter((entry) => logMatchesFilters(entry, query.filters)));
    storeCursor = page.cursor;
    if (storeCursor === undefined) break;
  }
  return { items, cursor: storeCursor };
}

function decodedBodies(entry: LogEntry): JsonValue {
  if (entry.bodies === undefined) return null;
  try {
    return JSON.parse(JSON.stringify(decodeLoggedBodies(entry.bodies))) as JsonValue;
  } catch {
    return null;
  }
}

/** Every record of a trace (oldest first, with bodies) and its feedback. */
async function readTrace(logs: LogStore, traceId: string): Promise<{ records: LogEntry[]; feedback: JsonObject[] }> {
  const records: LogEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await logs.query({ select: { by: 'trace', traceId }, order: 'oldest-first', limit: 100, ...(cursor === undefined ? {} : { cursor }) });
    records.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && records.length < MAX_TRACE_RECORDS);
  const feedback = (await logs.listFeedback(traceId)).map(presentFeedback);
  return { records, feedback };
}

/**
 * `GET /v1/logs` (filtered, paginated, newest first; see docs/ADMIN-API.md) and
 * `GET /v1/logs/{trace_id}` (one trace with its bodies and feedback).
 */
export const logRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/v1/logs',
    async handler({ context, query }) {
      const logs = logStoreOf(context);
      const page = readPageRequest(query);
      const resumed = page.cursor === undefined ? undefined : decodeLogCursor(page.cursor);
      // A cursor carries the range of its first page, so "the last hour" does not move under it.
      const listQuery = readLogListQuery(query, context.clock.now());
      if (resumed !== undefined && listQuery.select.by !== 'trace') {
        listQuery.from = resumed.from;
        listQuery.to = resumed.to;
      }
      const result = await readLogPage(logs, listQuery, page.limit, resumed?.store);
      const traceId = listQuery.select.by === 'trace' ? listQuery.select.traceId : undefined;
      const feedback = traceId === undefined ? undefined : (await logs.listFeedback(traceId)).map(presentFeedback);
      const data = result.items.map((entry) => (feedback === undefined ? presentLogEntry(entry) : { ...presentLogEntry(entry), feedback }));
      const next = result.cursor === undefined ? undefined : encodeLogCursor({ store: result.cursor, from: listQuery.from, to: listQuery.to });
      return listResponse(data, next);
    },
  },
  {
    method: 'GET',
    path: '/v1/logs/{trace_id}',
    async handler({ context, params }) {
      const traceId = params.trace_id ?? '';
      const { records, feedback } = await readTrace(logStoreOf(context), traceId);
      if (records.length === 0 && feedback.length === 0) throw resourceNotFound('trace', traceId);
      return jsonResponse({
        trace_id: traceId,
        data: records.map((entry) => ({ ...presentLogEntry(entry), bodies: decodedBodies(entry) })),
        feedback,
      });
    },
  },
];
