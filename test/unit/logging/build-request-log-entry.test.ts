import { describe, expect, it } from 'vitest';
import { buildRequestLogEntry } from '../../../shared/src/logging/build-request-log-entry.ts';
import { decodeLoggedBodies } from '../../../shared/src/logging/encode-logged-bodies.ts';
import { prepareLoggedBodies } from '../../../shared/src/logging/prepare-logged-bodies.ts';
import type { RequestLogDetail, RequestRecord } from '../../../shared/src/ports/request-log-sink.ts';

const encoder = new TextEncoder();
const PROVIDER_KEY = 'sk-provider-key-0123456789';

const record = (overrides: Partial<RequestRecord> = {}): RequestRecord => ({
  traceId: 'trace-1',
  spanId: 'span-2',
  parentSpanId: 'span-1',
  spanName: 'answer',
  method: 'POST',
  path: '/v1/chat/completions',
  endpoint: 'chat.completions',
  provider: 'openai',
  model: 'gpt-4o',
  status: 401,
  stream: false,
  startedAt: Date.UTC(2025, 0, 31, 12),
  latencyMs: 120,
  firstByteMs: 110,
  upstreamLatencyMs: 100,
  timeToFirstTokenMs: 110,
  retryAttempts: 0,
  lastUsedOptionIndex: 'config',
  usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7, cachedPromptTokens: 1 },
  errorCode: 'invalid_api_key',
  errorMessage: `Incorrect API key provided: ${PROVIDER_KEY}.`,
  metadata: { team: 'search' },
  apiKeyId: 'key-1',
  workspaceId: 'ws-1',
  ...overrides,
});

const detail = (overrides: Partial<RequestLogDetail> = {}): RequestLogDetail => ({
  requestBody: { model: 'gpt-4o', messages: [{ role: 'user', content: `my key is ${PROVIDER_KEY}` }] },
  requestContentType: 'application/json',
  responseBody: { kind: 'complete', body: encoder.encode('{"id":"c1","choices":[{"message":{"role":"assistant","content":"Hello"}}]}'), contentType: 'application/json' },
  requestHeaders: new Headers({ authorization: `Bearer ${PROVIDER_KEY}` }),
  ...overrides,
});

describe('buildRequestLogEntry', () => {
  it('stores the record with its ids, retention and every field, and no credential anywhere', async () => {
    const entry = await buildRequestLogEntry({ record: record(), detail: detail(), requestId: 'req-1', bodies: 'full', retentionDays: 30 });
    expect(entry).toMatchObject({
      traceId: 'trace-1',
      requestId: 'req-1',
      createdAt: Date.UTC(2025, 0, 31, 12),
      expiresAt: Date.UTC(2025, 0, 31, 12) / 1000 + 30 * 86_400,
      workspaceId: 'ws-1',
      apiKeyId: 'key-1',
    });
    expect(entry.data).toEqual({
      schema: 1,
      requestId: 'req-1',
      traceId: 'trace-1',
      spanId: 'span-2',
      parentSpanId: 'span-1',
      spanName: 'answer',
      method: 'POST',
      path: '/v1/chat/completions',
      endpoint: 'chat.completions',
      provider: 'openai',
      model: 'gpt-4o',
      status: 401,
      stream: false,
      startedAt: Date.UTC(2025, 0, 31, 12),
      latencyMs: 120,
      firstByteMs: 110,
      upstreamLatencyMs: 100,
      timeToFirstTokenMs: 110,
      retryAttempts: 0,
      lastUsedOptionIndex: 'config',
      usage: { promptTokens: 3, completionTokens: 4, totalTokens: 7, cachedPromptTokens: 1 },
      errorCode: 'invalid_api_key',
      errorMessage: 'Incorrect API key provided: [credential removed].',
      metadata: { team: 'search' },
      apiKeyId: 'key-1',
      workspaceId: 'ws-1',
      cacheStatus: 'DISABLED',
      cost: 0,
      bodies: 'full',
    });
    const bodies = decodeLoggedBodies(entry.bodies as Uint8Array);
    expect(bodies.request?.text).toBe('{"model":"gpt-4o","messages":[{"role":"user","content":"my key is [credential removed]"}]}');
    expect(bodies.response).toEqual({ format: 'json', text: '{"id":"c1","choices":[{"message":{"role":"assistant","content":"Hello"}}]}', bytes: 74 });
    expect(JSON.stringify(entry.data)).not.toContain(PROVIDER_KEY);
  });

  it('stores no bodies when they are off, and redacts them by default mode', async () => {
    const off = await buildRequestLogEntry({ record: record(), detail: detail(), requestId: 'r', bodies: 'off', retentionDays: 1 });
    expect(off.bodies).toBeUndefined();
    expect(off.data.bodies).toBe('off');
    const redacted = await buildRequestLogEntry({ record: record(), detail: detail(), requestId: 'r', bodies: 'redacted', retentionDays: 1 });
    expect(decodeLoggedBodies(redacted.bodies as Uint8Array)).toEqual({
      mode: 'redacted',
      request: { format: 'json', text: '{"model":"gpt-4o","messages":[{"role":"user","content":"[redacted: 36 chars]"}]}' },
      response: { format: 'json', text: '{"id":"c1","choices":[{"message":{"role":"assistant","content":"[redacted: 5 chars]"}}]}', bytes: 74 },
    });
  });

  it('cuts a very long upstream error message', async () => {
    const entry = await buildRequestLogEntry({ record: record({ errorMessage: 'x'.repeat(5000) }), detail: undefined, requestId: 'r', bodies: 'full', retentionDays: 1 });
    expect(String(entry.data.errorMessage)).toHaveLength(2001);
    expect(entry.bodies).toBeUndefined();
  });
});

describe('prepareLoggedBodies', () => {
  const base = { requestContentType: undefined, requestHeaders: undefined };

  it('keeps a captured stream as SSE text, marked when the capture was cut', () => {
    const chunks = [encoder.encode('data: {"choices":[{"delta":{"content":"Hel"}}]}\n\n'), encoder.encode('data: {"cho')];
    const bodies = prepareLoggedBodies({ ...base, requestBody: undefined, responseBody: { kind: 'stream', chunks, totalBytes: 500, truncated: true } }, 'redacted', []);
    expect(bodies.response).toEqual({
      format: 'sse',
      text: 'data: {"choices":[{"delta":{"content":"[redacted: 3 chars]"}}]}\n\ndata: [redacted: 5 chars]…[truncated by Turnpike: first 60 of 500 bytes captured]',
      bytes: 500,
      truncated: true,
    });
  });

  it('notes binary bodies by size and keeps text only in full mode', () => {
    const audio = new Uint8Array([0xff, 0xfe, 0x00, 0x81]);
    expect(prepareLoggedBodies({ ...base, requestBody: audio, responseBody: { kind: 'binary', contentType: 'audio/mpeg' } }, 'full', [])).toEqual({
      mode: 'full',
      request: { format: 'omitted', text: '[binary body: 4 bytes]', bytes: 4 },
      response: { format: 'omitted', text: '[binary answer (audio/mpeg) not logged]' },
    });
    const form = encoder.encode('name=value');
    expect(prepareLoggedBodies({ ...base, requestBody: form, responseBody: undefined }, 'full', []).request).toEqual({ format: 'text', text: 'name=value', bytes: 10 });
    expect(prepareLoggedBodies({ ...base, requestBody: form, responseBody: undefined }, 'redacted', []).request).toEqual({
      format: 'omitted',
      text: '[redacted: 10 bytes]',
      bytes: 10,
    });
  });
});
