import type { GuardrailLogSummary } from './request-log-sink.ts';

/** How much of the bodies a deployment logs (`TURNPIKE_LOG_BODIES`). */
export type LogBodyMode = 'full' | 'redacted' | 'off';

/** Token counts as stored in a log document. */
export interface LoggedUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  cachedPromptTokens?: number;
  cacheWritePromptTokens?: number;
  reasoningTokens?: number;
}

/**
 * The JSON stored as `LogEntry.data` for one request: what the request log writes
 * (logging/build-request-log-entry.ts) and what analytics and the admin API read. Readers
 * must be lenient: documents written by an older version may lack a field, and fields that
 * later issues add to the request record (identity, cache, cost) appear here as they come.
 */
export interface RequestLogDocument {
  /** Bumped when a field changes meaning. */
  schema: 1;
  traceId: string;
  requestId: string;
  spanId?: string;
  parentSpanId?: string;
  spanName?: string;
  method: string;
  path: string;
  endpoint: string;
  /** Arrival, epoch milliseconds (the entry's `createdAt`). */
  startedAt: number;
  latencyMs: number;
  firstByteMs?: number;
  upstreamLatencyMs?: number;
  timeToFirstTokenMs?: number;
  workspaceId?: string;
  apiKeyId?: string;
  principal?: string;
  virtualKeyId?: string;
  provider?: string;
  model?: string;
  /** JSON path of the target that answered, as in `x-portkey-last-used-option-index`. */
  lastUsedOptionIndex?: string;
  retryAttempts: number;
  cacheStatus: string;
  status: number;
  stream: boolean;
  errorCode?: string;
  errorMessage?: string;
  usage?: LoggedUsage;
  /** In the price table's unit; 0 until prices exist. */
  cost: number;
  /** From `x-portkey-metadata`. */
  metadata: Record<string, string>;
  /** How the bodies were logged; `off` means `LogEntry.bodies` is absent. */
  bodies: LogBodyMode;
  /** What guardrails decided (absent when the Config has none). */
  guardrails?: GuardrailLogSummary;
}
