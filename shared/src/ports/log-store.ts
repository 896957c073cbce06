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
  /** The record (see RequestLogDocument for its fields). */
  data: JsonObject;
  /**
   * The request and response bodies, compressed (logging/encode-logged-bodies.ts writes and
   * reads them); absent when bodies are not logged or when the query asked to omit them.
   */
  bodies?: Uint8Array;
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
  /** Leave `bodies` out of the entries (analytics reads many records and needs none). @default false */
  omitBodies?: boolean;
}

/** One piece of feedback on a trace (Portkey's `POST /v1/feedback`). */
export interface FeedbackEntry {
  feedbackId: string;
  traceId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch seconds, from the retention setting. */
  expiresAt: number;
  /** -10..10. */
  value: number;
  /** 0..1. */
  weight: number;
  metadata: JsonObject;
  /** Who gave it, when the caller was authenticated. */
  workspaceId?: string;
  apiKeyId?: string;
}

/** Request logs: written once after each request, read by the admin API and analytics. */
export interface LogStore {
  /** Most entries one `putBatch` takes. */
  readonly maxBatchEntries: number;
  put(entry: LogEntry): Promise<void>;
  /**
   * Write up to `maxBatchEntries` entries in one call (their trace and request ids must differ).
   * Resolves with the entries the store did not take this time (throttled: retry them), none
   * when all were written. Rejects when the call failed as a whole; any of them may then have
   * been written, and writing an entry again stores the same item.
   */
  putBatch(entries: readonly LogEntry[]): Promise<LogEntry[]>;
  /** Live entries matching the query, paginated with an opaque cursor. */
  query(query: LogQuery): Promise<Page<LogEntry>>;
  /** Store feedback with its trace; it never appears among the request entries. */
  putFeedback(entry: FeedbackEntry): Promise<void>;
  /** The live feedback of one trace, oldest first. */
  listFeedback(traceId: string): Promise<FeedbackEntry[]>;
}
