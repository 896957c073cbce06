import type { LogEntry } from '../../shared/src/ports/log-store.ts';

/** What a test says about one logged request; the rest of the document is filled in. */
export interface LoggedRequest {
  at: string;
  workspaceId?: string;
  apiKeyId?: string;
  provider?: string;
  model?: string;
  status?: number;
  latencyMs: number;
  usage?: { promptTokens: number; completionTokens: number; cachedPromptTokens?: number };
  errorCode?: string;
  cacheStatus?: string;
  cost?: number;
}

/** A LogEntry shaped as the request log writes it (ports/request-log-document.ts). */
export function logEntry(request: LoggedRequest, index: number): LogEntry {
  const createdAt = Date.parse(request.at);
  const entry: LogEntry = {
    traceId: `trace-${index}`,
    requestId: `req-${index}`,
    createdAt,
    // Far off: the fixtures are dated, and reads leave expired logs out.
    expiresAt: 4_102_444_800,
    data: {
      schema: 1,
      traceId: `trace-${index}`,
      requestId: `req-${index}`,
      method: 'POST',
      path: '/v1/chat/completions',
      endpoint: 'chat.completions',
      startedAt: createdAt,
      latencyMs: request.latencyMs,
      retryAttempts: 0,
      cacheStatus: request.cacheStatus ?? 'DISABLED',
      status: request.status ?? 200,
      stream: false,
      cost: request.cost ?? 0,
      metadata: {},
      bodies: 'off',
      ...(request.provider === undefined ? {} : { provider: request.provider }),
      ...(request.model === undefined ? {} : { model: request.model }),
      ...(request.errorCode === undefined ? {} : { errorCode: request.errorCode }),
      ...(request.usage === undefined ? {} : { usage: { totalTokens: request.usage.promptTokens + request.usage.completionTokens, ...request.usage } }),
      ...(request.workspaceId === undefined ? {} : { workspaceId: request.workspaceId }),
      ...(request.apiKeyId === undefined ? {} : { apiKeyId: request.apiKeyId }),
    },
  };
  if (request.workspaceId !== undefined) entry.workspaceId = request.workspaceId;
  if (request.apiKeyId !== undefined) entry.apiKeyId = request.apiKeyId;
  return entry;
}

/**
 * A known set of requests around midnight UTC of 2025-03-04, with the figures the rollups
 * of its hour 00:00 must have (worked out by hand in the tests that use it).
 */
export const KNOWN_REQUESTS: LoggedRequest[] = [
  { at: '2025-03-03T05:00:00.000Z', workspaceId: 'ws-a', apiKeyId: 'key-1', provider: 'openai', model: 'gpt-4o', latencyMs: 10, usage: { promptTokens: 1, completionTokens: 1 } },
  { at: '2025-03-03T23:30:00.000Z', workspaceId: 'ws-a', apiKeyId: 'key-1', provider: 'openai', model: 'gpt-4o', latencyMs: 400, usage: { promptTokens: 4, completionTokens: 2 } },
  { at: '2025-03-04T00:05:00.000Z', workspaceId: 'ws-a', apiKeyId: 'key-1', provider: 'openai', model: 'gpt-4o', latencyMs: 100, usage: { promptTokens: 10, completionTokens: 5, cachedPromptTokens: 2 } },
  { at: '2025-03-04T00:10:00.000Z', workspaceId: 'ws-a', apiKeyId: 'key-1', provider: 'openai', model: 'gpt-4o', latencyMs: 300, cacheStatus: 'HIT', usage: { promptTokens: 10, completionTokens: 5 } },
  { at: '2025-03-04T00:20:00.000Z', workspaceId: 'ws-a', apiKeyId: 'key-2', provider: 'anthropic', model: 'claude-sonnet', status: 529, latencyMs: 50, errorCode: 'overloaded_error' },
  { at: '2025-03-04T00:40:00.000Z', workspaceId: 'ws-b', apiKeyId: 'key-3', provider: 'openai', model: 'gpt-4o', latencyMs: 700, errorCode: 'stream_error', usage: { promptTokens: 20, completionTokens: 10 } },
  { at: '2025-03-04T00:59:59.999Z', workspaceId: 'ws-b', apiKeyId: 'key-3', provider: 'openai', model: 'gpt-4o-mini', latencyMs: 200, usage: { promptTokens: 1, completionTokens: 1 } },
  { at: '2025-03-04T01:00:00.000Z', workspaceId: 'ws-b', apiKeyId: 'key-3', provider: 'openai', model: 'gpt-4o', latencyMs: 900, usage: { promptTokens: 2, completionTokens: 2 } },
  // Failed before routing: no provider, no model, no identity.
  { at: '2025-03-04T00:30:00.000Z', status: 400, latencyMs: 1, errorCode: 'invalid_json' },
];

const m = (requests: number, errors: number, prompt: number, completion: number, cached: number, hits: number, sum: number, p50: number, p90: number, p99: number) => ({
  requests,
  errors,
  promptTokens: prompt,
  completionTokens: completion,
  cachedTokens: cached,
  cost: 0,
  cacheHits: hits,
  latencySumMs: sum,
  latencyP50Ms: p50,
  latencyP90Ms: p90,
  latencyP99Ms: p99,
});

/** The rows KNOWN_REQUESTS must give for the hour 2025-03-04T00:00Z, by dimension. */
export const KNOWN_HOUR_ROWS = {
  // Latencies 1, 50, 100, 200, 300, 700: nearest-rank p50 = 3rd, p90 and p99 = 6th.
  all: [{ key: '*', metrics: m(6, 3, 41, 21, 2, 1, 1351, 100, 700, 700) }],
  workspace: [
    // 50, 100, 300
    { key: 'ws-a', metrics: m(3, 1, 20, 10, 2, 1, 450, 100, 300, 300) },
    // 200, 700
    { key: 'ws-b', metrics: m(2, 1, 21, 11, 0, 0, 900, 200, 700, 700) },
  ],
  'api-key': [
    { key: 'key-1', metrics: m(2, 0, 20, 10, 2, 1, 400, 100, 300, 300) },
    { key: 'key-2', metrics: m(1, 1, 0, 0, 0, 0, 50, 50, 50, 50) },
    { key: 'key-3', metrics: m(2, 1, 21, 11, 0, 0, 900, 200, 700, 700) },
  ],
  provider: [
    { key: 'anthropic', metrics: m(1, 1, 0, 0, 0, 0, 50, 50, 50, 50) },
    // 100, 200, 300, 700
    { key: 'openai', metrics: m(4, 1, 41, 21, 2, 1, 1300, 200, 700, 700) },
  ],
  model: [
    { key: 'claude-sonnet', metrics: m(1, 1, 0, 0, 0, 0, 50, 50, 50, 50) },
    // 100, 300, 700
    { key: 'gpt-4o', metrics: m(3, 1, 40, 20, 2, 1, 1100, 300, 700, 700) },
    { key: 'gpt-4o-mini', metrics: m(1, 0, 1, 1, 0, 0, 200, 200, 200, 200) },
  ],
  cell: [
    { key: '["","","",""]', metrics: m(1, 1, 0, 0, 0, 0, 1, 1, 1, 1) },
    { key: '["ws-a","key-1","openai","gpt-4o"]', metrics: m(2, 0, 20, 10, 2, 1, 400, 100, 300, 300) },
    { key: '["ws-a","key-2","anthropic","claude-sonnet"]', metrics: m(1, 1, 0, 0, 0, 0, 50, 50, 50, 50) },
    { key: '["ws-b","key-3","openai","gpt-4o"]', metrics: m(1, 1, 20, 10, 0, 0, 700, 700, 700, 700) },
    { key: '["ws-b","key-3","openai","gpt-4o-mini"]', metrics: m(1, 0, 1, 1, 0, 0, 200, 200, 200, 200) },
  ],
} as const;

/** The `all` row KNOWN_REQUESTS must give for the day 2025-03-03 (latencies 10 and 400). */
export const KNOWN_DAY_ALL = m(2, 0, 5, 3, 0, 0, 410, 10, 400, 400);
