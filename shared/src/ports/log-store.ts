import type { JsonObject } from '../core/json.ts';
import type { Page, PageRequest } from './page.ts';

/** One stored request log. `data` holds the record itself; the other fields are what it is found by. */
export interface LogEntry {
  traceId: string;
  /** Distinguishes requests that share a trace id (a client may reuse one). */
  requestId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  workspaceId?: string;
  /** The gateway key's id (or an IAM principal's id) that made the request. */
  apiKeyId?: string;
  /** Epoch seconds, from the retention setting. */
  expiresAt: number;
  data: JsonObject;
}

/** Which logs to read. */
export type LogSelector =
  | { by: 'trace'; traceId: string }
  | { by: 'workspace'; workspaceId: string }
  | { by: 'api-key'; apiKeyId: string }
  /** Every log in the time range (needs `from` and `to`). */
  | { by: 'time' };

export interface LogQuery extends PageRequest {
  select: LogSelector;
  /** Epoch milliseconds, inclusive. */
  from?: number;
  /** Epoch milliseconds, exclusive. */
  to?: number;
  /** @default 'newest-first' */
  order?: 'newest-first' | 'oldest-first';
}

/** Request logs: written once after each request, read by the admin API and analytics. */
export interface LogStore {
  put(entry: LogEntry): Promise<void>;
  /** Live entries matching the query, paginated with an opaque cursor. */
  query(query: LogQuery): Promise<Page<LogEntry>>;
}
