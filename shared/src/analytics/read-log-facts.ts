import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';
import type { LogEntry } from '../ports/log-store.ts';

/** What a rollup needs from one request log. */
export interface LogFacts {
  workspaceId: string | undefined;
  apiKeyId: string | undefined;
  provider: string | undefined;
  model: string | undefined;
  error: boolean;
  cacheHit: boolean;
  latencyMs: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cost: number;
}

const text = (value: JsonValue | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const amount = (value: JsonValue | undefined): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

/**
 * Read the facts of one log entry leniently (ports/request-log-document.ts): a document from
 * an older version that lacks a field counts it as 0 rather than failing the run.
 */
export function readLogFacts(entry: LogEntry): LogFacts {
  const data = entry.data;
  const usage: JsonObject = isJsonObject(data.usage) ? data.usage : {};
  const status = amount(data.status);
  return {
    workspaceId: entry.workspaceId ?? text(data.workspaceId),
    apiKeyId: entry.apiKeyId ?? text(data.apiKeyId),
    provider: text(data.provider),
    model: text(data.model),
    // A stream that began with 200 and broke later is an error too.
    error: status >= 400 || text(data.errorCode) !== undefined,
    cacheHit: data.cacheStatus === 'HIT' || data.cacheStatus === 'SEMANTIC HIT',
    latencyMs: amount(data.latencyMs),
    promptTokens: amount(usage.promptTokens),
    completionTokens: amount(usage.completionTokens),
    cachedTokens: amount(usage.cachedPromptTokens),
    cost: amount(data.cost),
  };
}
