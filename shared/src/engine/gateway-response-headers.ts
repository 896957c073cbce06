import type { Usage } from '../core/usage.ts';
import type { CacheStatus } from '../cache/cache-status.ts';
import type { JsonObject } from '../core/json.ts';
import type { GuardrailLogSummary } from '../ports/request-log-sink.ts';

/** Facts about how a request was routed, reported in Portkey's response headers. */
export interface RoutingTrace {
  traceId: string;
  provider: string | undefined;
  model: string | undefined;
  /** JSON path of the target that produced the answer (or failed last). */
  lastUsedOptionIndex: string | undefined;
  /** Retries made at that target. */
  retries: number;
  /** What the response cache did for the target that answered; absent when it was not consulted. */
  cacheStatus?: CacheStatus | undefined;
  /** What guardrails decided, for the request log; absent when the Config has none. */
  guardrails?: GuardrailLogSummary | undefined;
  /** Feedback that guardrails' `on_fail` / `on_success` give the request (`{value, weight, metadata}`), stored with its log. */
  guardrailFeedback?: JsonObject[] | undefined;
  /**
   * Answers the provider produced that routing then moved past (a guardrail refused or flagged
   * them and a retry or fallback acted on that): the request owes their cost as well.
   */
  abandonedAnswers?: AbandonedAnswer[] | undefined;
}

/** One answer routing moved past, with who produced it. */
export interface AbandonedAnswer {
  provider: string | undefined;
  model: string | undefined;
  usage: Usage;
}

/** Add the `x-portkey-*` response headers to `headers`. */
export function setPortkeyResponseHeaders(headers: Headers, trace: RoutingTrace): void {
  headers.set('x-portkey-trace-id', trace.traceId);
  if (trace.provider !== undefined) headers.set('x-portkey-provider', trace.provider);
  headers.set('x-portkey-cache-status', trace.cacheStatus ?? 'DISABLED');
  headers.set('x-portkey-retry-attempt-count', String(trace.retries));
  if (trace.lastUsedOptionIndex !== undefined) headers.set('x-portkey-last-used-option-index', trace.lastUsedOptionIndex);
}
