import type { JsonObject, JsonValue } from '../core/json.ts';
import { isJsonObject } from '../core/json.ts';
import type { FeedbackEntry, LogEntry } from '../ports/log-store.ts';

const text = (data: JsonObject, name: string): string | null => {
  const value = data[name];
  return typeof value === 'string' ? value : null;
};
const number = (data: JsonObject, name: string): number | null => {
  const value = data[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
};

/** The record's metadata as strings; documents are read leniently (older writers, other shapes). */
export function logMetadata(data: JsonObject): Record<string, string> {
  const metadata = data.metadata;
  if (!isJsonObject(metadata)) return {};
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) if (typeof value === 'string') result[key] = value;
  return result;
}

function presentUsage(value: JsonValue | undefined): JsonObject | null {
  if (!isJsonObject(value)) return null;
  const usage: JsonObject = {};
  const names = [
    ['promptTokens', 'prompt_tokens'],
    ['completionTokens', 'completion_tokens'],
    ['totalTokens', 'total_tokens'],
    ['cachedPromptTokens', 'cached_prompt_tokens'],
    ['cacheWritePromptTokens', 'cache_write_prompt_tokens'],
    ['reasoningTokens', 'reasoning_tokens'],
  ] as const;
  for (const [stored, shown] of names) usage[shown] = number(value, stored);
  return usage;
}

/** The guardrail summary of a record in the API's words, or null when the request ran none. */
function presentGuardrails(value: JsonValue | undefined): JsonObject | null {
  if (!isJsonObject(value)) return null;
  const failed = Array.isArray(value.failed) ? value.failed.filter(isJsonObject) : [];
  return {
    verdict: typeof value.verdict === 'string' ? value.verdict : null,
    denied: value.denied === true,
    checks: number(value, 'checks'),
    failed: failed.map((failure) => ({
      target: text(failure, 'target'),
      hook: text(failure, 'hook'),
      guardrail: text(failure, 'guardrail'),
      check: text(failure, 'check'),
      deny: failure.deny === true,
      log_only: failure.logOnly === true,
    })),
  };
}

/** One feedback item as the admin API shows it. */
export function presentFeedback(entry: FeedbackEntry): JsonObject {
  return {
    id: entry.feedbackId,
    trace_id: entry.traceId,
    created_at: new Date(entry.createdAt).toISOString(),
    value: entry.value,
    weight: entry.weight,
    metadata: entry.metadata,
    workspace_id: entry.workspaceId ?? null,
    api_key_id: entry.apiKeyId ?? null,
  };
}

/** One request log as the admin API shows it (snake_case, absent fields `null`, no bodies). */
export function presentLogEntry(entry: LogEntry): JsonObject {
  const { data } = entry;
  return {
    trace_id: entry.traceId,
    request_id: entry.requestId,
    created_at: new Date(entry.createdAt).toISOString(),
    workspace_id: entry.workspaceId ?? text(data, 'workspaceId'),
    api_key_id: entry.apiKeyId ?? text(data, 'apiKeyId'),
    principal: text(data, 'principal'),
    virtual_key_id: text(data, 'virtualKeyId'),
    method: text(data, 'method'),
    path: text(data, 'path'),
    endpoint: text(data, 'endpoint'),
    provider: text(data, 'provider'),
    model: text(data, 'model'),
    status: number(data, 'status'),
    stream: typeof data.stream === 'boolean' ? data.stream : null,
    latency_ms: number(data, 'latencyMs'),
    first_byte_ms: number(data, 'firstByteMs'),
    upstream_latency_ms: number(data, 'upstreamLatencyMs'),
    time_to_first_token_ms: number(data, 'timeToFirstTokenMs'),
    retry_attempts: number(data, 'retryAttempts'),
    cache_status: text(data, 'cacheStatus'),
    last_used_option_index: text(data, 'lastUsedOptionIndex'),
    usage: presentUsage(data.usage),
    cost: number(data, 'cost'),
    metadata: logMetadata(data),
    error_code: text(data, 'errorCode'),
    error_message: text(data, 'errorMessage'),
    guardrails: presentGuardrails(data.guardrails),
    span_id: text(data, 'spanId'),
    parent_span_id: text(data, 'parentSpanId'),
    span_name: text(data, 'spanName'),
    body_mode: text(data, 'bodies'),
  };
}
