import OpenAI from 'openai';
import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import { createAccessRepository } from '../../shared/src/keys/access-repository.ts';
import { decodeLoggedBodies } from '../../shared/src/logging/encode-logged-bodies.ts';
import type { LoggedBodies } from '../../shared/src/logging/logged-bodies.ts';
import type { LogEntry } from '../../shared/src/ports/log-store.ts';
import { fixtureChunks, type MockUpstream, startMockUpstream } from '../support/mock-upstream.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

// The caller's own provider key: it must never reach the Logs table, even when echoed back.
const PROVIDER_KEY = 'sk-request-logs-secret-4f1b2c3d';
const CONFIG_KEY = 'sk-config-secret-9e8d7c6b';
const chunks = fixtureChunks('openai/openai-text.chunks.txt');

let gateway: TestGateway;
let upstream: MockUpstream;
let client: OpenAI;
let traceNumber = 0;
const startedAt = Date.now();

const newTrace = (): string => `logs-test-${process.pid}-${++traceNumber}`;
const hello = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Say hello to the request log.' }] };

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, prompt_tokens_details: { cached_tokens: 4 } },
  });
}

beforeAll(async () => {
  [gateway, upstream] = await Promise.all([startTestGateway({ TURNPIKE_STORE_REQUEST_LOGS: 'true' }), startMockUpstream()]);
  client = new OpenAI({
    apiKey: PROVIDER_KEY,
    baseURL: gateway.baseURL,
    maxRetries: 0,
    defaultHeaders: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': `${upstream.origin}/v1` },
  });
});
afterAll(async () => {
  await Promise.all([gateway.close(), upstream.close()]);
});

/** The stored logs of a trace, once its record has been written; waits a little for stragglers. */
async function logsOf(traceId: string, expected = 1): Promise<LogEntry[]> {
  for (let waited = 0; waited < 200; waited++) {
    await gateway.runtime.requestLog.flush?.();
    const { items } = await gateway.runtime.stores.logs.query({ select: { by: 'trace', traceId }, order: 'oldest-first' });
    if (items.length >= expected) {
      // A second record would arrive right after the first: look once more.
      await new Promise((resolve) => setTimeout(resolve, 50));
      await gateway.runtime.requestLog.flush?.();
      return (await gateway.runtime.stores.logs.query({ select: { by: 'trace', traceId }, order: 'oldest-first' })).items;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no log for trace ${traceId}`);
}

const bodiesOf = (entry: LogEntry | undefined): LoggedBodies => decodeLoggedBodies(entry?.bodies as Uint8Array);

describe('request logs in the Logs table', () => {
  it('stores one record for a successful call with trace, spans, timings, usage, metadata and redacted bodies', async () => {
    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(completion('Hello, log!')));
    const traceId = newTrace();
    const { response } = await client.chat.completions
      .create(hello, {
        headers: {
          'x-portkey-trace-id': traceId,
          'x-portkey-span-id': 'span-child',
          'x-portkey-parent-span-id': 'span-root',
          'x-portkey-span-name': 'greeting',
          'x-portkey-metadata': JSON.stringify({ team: 'search', _user: 'u-42' }),
        },
      })
      .withResponse();
    expect(response.headers.get('x-portkey-trace-id')).toBe(traceId);
    const [entry, ...others] = await logsOf(traceId);
    expect(others).toEqual([]);
    expect(entry?.createdAt).toBeGreaterThanOrEqual(startedAt);
    expect(entry?.data).toMatchObject({
      schema: 1,
      traceId,
      spanId: 'span-child',
      parentSpanId: 'span-root',
      spanName: 'greeting',
      method: 'POST',
      path: '/v1/chat/completions',
      endpoint: 'chat.completions',
      provider: 'openai',
      model: 'gpt-4o-mini',
      status: 200,
      stream: false,
      retryAttempts: 0,
      lastUsedOptionIndex: 'config',
      cacheStatus: 'DISABLED',
      usage: { promptTokens: 12, completionTokens: 3, totalTokens: 15, cachedPromptTokens: 4 },
      // Priced once the budgets issue knows the model; 0 otherwise.
      cost: expect.any(Number),
      metadata: { team: 'search', _user: 'u-42' },
      bodies: 'redacted',
    });
    const data = entry?.data as Record<string, number>;
    for (const timing of ['latencyMs', 'firstByteMs', 'upstreamLatencyMs', 'timeToFirstTokenMs']) expect(data[timing]).toBeGreaterThanOrEqual(0);
    expect(data.upstreamLatencyMs).toBeLessThanOrEqual(data.latencyMs as number);
    expect(entry?.expiresAt).toBe(Math.floor((entry?.createdAt ?? 0) / 1000) + 30 * 86_400);
    expect(bodiesOf(entry)).toEqual({
      mode: 'redacted',
      request: { format: 'json', text: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: '[redacted: 29 chars]' }] }) },
      response: {
        format: 'json',
        text: expect.any(String),
        bytes: completion('Hello, log!').length,
      },
    });
    expect(bodiesOf(entry).response?.text).toContain('"content":"[redacted: 11 chars]"');
  });

  it('stores one record for an upstream error, the echoed key scrubbed', async () => {
    upstream.handle((_request, response) =>
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: `Incorrect API key provided: ${PROVIDER_KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } })),
    );
    const traceId = newTrace();
    await expect(client.chat.completions.create(hello, { headers: { 'x-portkey-trace-id': traceId } })).rejects.toMatchObject({ status: 401 });
    const [entry, ...others] = await logsOf(traceId);
    expect(others).toEqual([]);
    expect(entry?.data).toMatchObject({ status: 401, provider: 'openai', errorMessage: expect.stringContaining('[credential removed]') });
    expect(JSON.stringify(entry?.data)).not.toContain(PROVIDER_KEY);
    expect(bodiesOf(entry).response).toBeUndefined();
  });

  it('stores one record for a streamed answer, with time to first token and the captured events', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(`${chunks.map((chunk) => `data: ${chunk}\n\n`).join('')}data: [DONE]\n\n`);
    });
    const traceId = newTrace();
    const stream = await client.chat.completions.create({ ...hello, stream: true }, { headers: { 'x-portkey-trace-id': traceId } });
    for await (const _chunk of stream) void _chunk;
    const [entry, ...others] = await logsOf(traceId);
    expect(others).toEqual([]);
    expect(entry?.data).toMatchObject({ status: 200, stream: true, provider: 'openai', usage: { promptTokens: expect.any(Number) } });
    expect(entry?.data.timeToFirstTokenMs).toBeGreaterThanOrEqual(entry?.data.firstByteMs as number);
    const response = bodiesOf(entry).response;
    expect(response?.format).toBe('sse');
    expect(response?.text).toMatch(/^data: \{.*"content":"\[redacted: \d+ chars\]"/m);
    expect(response?.text.trimEnd().endsWith('data: [DONE]')).toBe(true);
  });

  it('stores one record for a stream the client abandoned mid-way', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${chunks[0]}\n\n`);
      // The rest never comes: only the client's abort ends this response.
    });
    const traceId = newTrace();
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ ...hello, stream: true }, { signal: controller.signal, headers: { 'x-portkey-trace-id': traceId } });
    await stream[Symbol.asyncIterator]().next();
    controller.abort();
    const [entry, ...others] = await logsOf(traceId);
    expect(others).toEqual([]);
    expect(entry?.data).toMatchObject({ status: 200, stream: true, provider: 'openai', errorCode: 'stream_error', errorMessage: expect.stringMatching(/closed/) });
    expect(bodiesOf(entry).response?.text).toContain('data: {');
  });

  it('stores one record for each mock provider failure', async () => {
    const mock = new OpenAI({ apiKey: 'unused', baseURL: gateway.baseURL, maxRetries: 0, defaultHeaders: { 'x-portkey-provider': 'mock' } });
    const faults = [
      { metadata: { mock_status: '503' }, status: 503 },
      { metadata: { mock_malformed: 'true' }, status: 502 },
    ];
    for (const fault of faults) {
      const traceId = newTrace();
      await expect(
        mock.chat.completions.create({ model: 'mock-model', messages: hello.messages }, { headers: { 'x-portkey-trace-id': traceId, 'x-portkey-metadata': JSON.stringify(fault.metadata) } }),
      ).rejects.toMatchObject({ status: fault.status });
      const [entry, ...others] = await logsOf(traceId);
      expect(others).toEqual([]);
      expect(entry?.data).toMatchObject({ status: fault.status, provider: 'mock', metadata: fault.metadata, errorCode: expect.any(String) });
    }
    const cutTrace = newTrace();
    const stream = await mock.chat.completions.create(
      { model: 'mock-model', messages: hello.messages, stream: true },
      { headers: { 'x-portkey-trace-id': cutTrace, 'x-portkey-metadata': JSON.stringify({ mock_cut_after: '2' }) } },
    );
    await expect((async () => {
      for await (const _chunk of stream) void _chunk;
    })()).rejects.toBeInstanceOf(OpenAI.APIError);
    const [cut] = await logsOf(cutTrace);
    expect(cut?.data).toMatchObject({ status: 200, stream: true, errorCode: 'stream_error' });
  });

  it('stores one record for a request refused before routing and for a cache hit', async () => {
    const badTrace = newTrace();
    const bad = await fetch(`${gateway.baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portkey-trace-id': badTrace, authorization: `Bearer ${PROVIDER_KEY}` },
      body: '{"model":',
    });
    expect(bad.status).toBe(400);
    const [refused] = await logsOf(badTrace);
    expect(refused?.data).toMatchObject({ status: 400, errorCode: 'invalid_json' });
    expect(refused?.data.provider).toBeUndefined();

    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(completion('cached answer')));
    const config = JSON.stringify({ provider: 'openai', api_key: CONFIG_KEY, custom_host: `${upstream.origin}/v1`, cache: { mode: 'simple' } });
    const unique = { ...hello, messages: [{ role: 'user' as const, content: `cache me ${newTrace()}` }] };
    const [first, second] = [newTrace(), newTrace()];
    await client.chat.completions.create(unique, { headers: { 'x-portkey-trace-id': first, 'x-portkey-config': config } });
    await logsOf(first);
    const { response } = await client.chat.completions.create(unique, { headers: { 'x-portkey-trace-id': second, 'x-portkey-config': config } }).withResponse();
    expect(response.headers.get('x-portkey-cache-status')).toBe('HIT');
    const [hit, ...others] = await logsOf(second);
    expect(others).toEqual([]);
    expect(hit?.data).toMatchObject({ status: 200, cacheStatus: 'HIT' });
  });
});

describe('refusals by budgets and rate limits', () => {
  /** A gateway key of its own workspace, drawing on a budget or rate limit defined just for it. */
  async function limitedKey(limit: { kind: 'budget' | 'rate-limit'; data: Record<string, number | string> }) {
    const id = newTrace();
    const { control, counters } = gateway.runtime.stores;
    await control.putIfAbsent({ kind: limit.kind, id, data: limit.data });
    const access = createAccessRepository(control, gateway.runtime.keyVault, systemClock, { counters });
    const workspaceId = `ws-${id}`;
    const issued = await access.createApiKey({ workspaceId, name: 'refused', ...(limit.kind === 'budget' ? { budgetId: id } : { rateLimitId: id }) });
    return { secret: issued.secret, keyId: issued.record.id, workspaceId };
  }

  /** One call with the gateway key and a provider key in the inline config; the refusal it got, and its stored record. */
  async function refusedCall(secret: string) {
    const traceId = newTrace();
    const caller = new OpenAI({
      apiKey: secret,
      baseURL: gateway.baseURL,
      maxRetries: 0,
      defaultHeaders: {
        'x-portkey-provider': 'openai',
        'x-portkey-config': JSON.stringify({ api_key: CONFIG_KEY, custom_host: `${upstream.origin}/v1` }),
        'x-portkey-trace-id': traceId,
      },
    });
    const error: unknown = await caller.chat.completions.create(hello).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    const entries = await logsOf(traceId);
    return { error, entries };
  }

  function expectNoSecret(entry: LogEntry | undefined, secret: string): void {
    const stored = JSON.stringify({ ...entry, bodies: undefined }) + JSON.stringify(bodiesOf(entry));
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(CONFIG_KEY);
  }

  /** The one stored record of a refused call: 429 with `code`, the key and its workspace, the requested provider and model, no usage or cost, no secret. */
  async function expectOneRefusalRecord(limit: Parameters<typeof limitedKey>[0], code: string, extra: Record<string, unknown> = {}): Promise<void> {
    const { secret, keyId, workspaceId } = await limitedKey(limit);
    const { error, entries } = await refusedCall(secret);
    expect(error).toMatchObject({ status: 429, code });
    const [entry, ...others] = entries;
    expect(others).toEqual([]);
    expect(entry?.apiKeyId).toBe(keyId);
    expect(entry?.workspaceId).toBe(workspaceId);
    expect(entry?.data).toMatchObject({
      status: 429,
      errorCode: code,
      apiKeyId: keyId,
      workspaceId,
      provider: 'openai',
      model: 'gpt-4o-mini',
      cost: 0,
      retryAttempts: 0,
      ...extra,
    });
    expect(entry?.data.usage).toBeUndefined();
    expectNoSecret(entry, secret);
  }

  it('stores one record for a budget refusal: 429 budget_exceeded, the key, its workspace, the requested model, no cost, no secret', async () => {
    await expectOneRefusalRecord({ kind: 'budget', data: { unit: 'tokens', limit: 5, period: 'none' } }, 'budget_exceeded', { cacheStatus: 'DISABLED' });
  });

  it('stores one record for a rate-limit refusal: 429 rate_limit_exceeded, the key, its workspace, the requested model, no cost, no secret', async () => {
    // One token a minute: the request's own estimate is over it, so the first call is refused whatever the clock says.
    await expectOneRefusalRecord({ kind: 'rate-limit', data: { tokensPerMinute: 1 } }, 'rate_limit_exceeded');
  });
});

describe('feedback', () => {
  it('stores feedback with its trace, as Portkey answers it, and a trace lookup finds both', async () => {
    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(completion('Rate me')));
    const traceId = newTrace();
    await client.chat.completions.create(hello, { headers: { 'x-portkey-trace-id': traceId } });
    const answer = await fetch(`${gateway.baseURL}/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ trace_id: traceId, value: 5, weight: 0.5, metadata: { comment: 'helpful' } }),
    });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { status: string; message: string; feedback_ids: string[] };
    expect(body).toEqual({ status: 'success', message: 'feedback recorded', feedback_ids: [expect.any(String)] });

    const portkey = new Portkey({ apiKey: 'unused', baseURL: gateway.baseURL });
    await portkey.feedback.create({ traceID: traceId, value: -2 });

    expect(await logsOf(traceId)).toHaveLength(1);
    const feedback = await gateway.runtime.stores.logs.listFeedback(traceId);
    expect(feedback).toEqual([
      expect.objectContaining({ feedbackId: body.feedback_ids[0], traceId, value: 5, weight: 0.5, metadata: { comment: 'helpful' } }),
      expect.objectContaining({ traceId, value: -2, weight: 1, metadata: {} }),
    ]);
  });

  it('refuses malformed feedback with an OpenAI-shaped 400', async () => {
    const answer = await fetch(`${gateway.baseURL}/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: 3 }) });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ error: { code: 'invalid_feedback', param: 'trace_id' } });
  });
});

describe('secrets', () => {
  it('never stores a credential that came with a request, in any record or body', async () => {
    await gateway.runtime.requestLog.flush?.();
    const everything: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await gateway.runtime.stores.logs.query({ select: { by: 'time' }, from: startedAt - 1000, to: Date.now() + 1000, limit: 100, ...(cursor === undefined ? {} : { cursor }) });
      for (const entry of page.items) {
        everything.push(JSON.stringify({ ...entry, bodies: undefined }));
        if (entry.bodies !== undefined) everything.push(JSON.stringify(decodeLoggedBodies(entry.bodies)));
      }
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(everything.length).toBeGreaterThan(10);
    const text = everything.join('\n');
    expect(text).not.toContain(PROVIDER_KEY);
    expect(text).not.toContain(CONFIG_KEY);
    expect(text).not.toMatch(/authorization|x-portkey-api-key/i);
  });
});
