import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadGatewayError, UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { createGoogleProvider } from '../../../../shared/src/providers/google/google-provider.ts';
import type { ProviderRequest, ProviderResponse } from '../../../../shared/src/providers/provider-model.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import {
  fixtureChunks,
  fixtureText,
  type MockUpstream,
  providerRequest,
  reply,
  sseFrames,
  ssePayloads,
  startMockUpstream,
  target,
  type UpstreamHandler,
} from '../../../support/mock-upstream.ts';

let upstream: MockUpstream;
const clock = new FakeClock();
const provider = createGoogleProvider({ fetch: (input, init) => fetch(input, init), clock, randomKey: () => 'fixedkey' });

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
});

const API_KEY = 'AIza-test-secret';

function googleRequest(body: JsonObject, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return providerRequest({
    body,
    stream: body.stream === true,
    target: target({ provider: 'google', apiKey: API_KEY, customHost: `${upstream.origin}/v1beta/` }),
    ...overrides,
  });
}

const CHAT = { model: 'gemini-3-pro-preview', messages: [{ role: 'user', content: 'How many rs in strawberry?' }] };

function json(fixture: string): UpstreamHandler {
  return reply(200, fixtureText(`google/${fixture}`), { 'content-type': 'application/json; charset=UTF-8' });
}

/** Gemini's SSE framing: `data: <json>` and a CRLF blank line, no [DONE]. */
function sse(fixture: string): UpstreamHandler {
  const payloads = fixtureChunks(`google/${fixture}`);
  return reply(200, payloads.map((payload) => `data: ${payload}\r\n\r\n`).join(''), { 'content-type': 'text/event-stream' });
}

async function bodyText(response: ProviderResponse): Promise<string> {
  if (response.kind === 'binary') return response.body === null ? '' : new Response(response.body).text();
  if (response.kind === 'stream') return new Response(response.body).text();
  return new TextDecoder().decode(response.body);
}

/** The caller's SSE stream, one JSON payload per line, signatures shortened for snapshots. */
async function streamLines(response: ProviderResponse): Promise<string> {
  const text = await bodyText(response);
  return ssePayloads(text)
    .map((payload) => payload.replace(/"thought_signature":"[^"]+"/g, '"thought_signature":"<signature>"'))
    .join('\n');
}

function sentBody(index = 0): unknown {
  return JSON.parse(upstream.requests[index]?.body.toString() ?? 'null');
}

describe('google provider: chat completions', () => {
  it('sends generateContent with the key in x-goog-api-key and answers in OpenAI shape', async () => {
    upstream.handle(json('google-text.json'));
    const response = await provider.call(googleRequest({ ...CHAT, model: 'models/gemini-3-pro-preview', temperature: 0.1 }));
    const sent = upstream.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/v1beta/models/gemini-3-pro-preview:generateContent');
    expect(sent?.headers['x-goog-api-key']).toBe(API_KEY);
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sentBody()).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'How many rs in strawberry?' }] }],
      generationConfig: { temperature: 0.1 },
    });
    expect(response.kind).toBe('complete');
    if (response.kind !== 'complete') return;
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-turnpike-warnings')).toBeNull();
    expect(JSON.parse(await bodyText(response))).toEqual({
      id: 'chatcmpl-Un6LacrVMcjUxs0PmJfWoQc',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gemini-3-pro-preview',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.", refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 9, completion_tokens: 272, total_tokens: 281, completion_tokens_details: { reasoning_tokens: 244 } },
    });
    expect(response.usage).toEqual({ promptTokens: 9, completionTokens: 272, totalTokens: 281, reasoningTokens: 244 });
  });

  it('names dropped parameters in x-turnpike-warnings', async () => {
    upstream.handle(json('google-text.json'));
    const response = await provider.call(googleRequest({ ...CHAT, logit_bias: { '5': 1 }, service_tier: 'flex' }));
    expect(response.headers.get('x-turnpike-warnings')).toBe('logit_bias,service_tier');
  });

  it('streams text through streamGenerateContent?alt=sse with usage last', async () => {
    upstream.handle(sse('google-text.chunks.txt'));
    const response = await provider.call(googleRequest({ ...CHAT, stream: true, stream_options: { include_usage: true } }));
    expect(upstream.requests[0]?.url).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    expect(upstream.requests[0]?.headers.accept).toBe('text/event-stream');
    expect(response.kind).toBe('stream');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(await streamLines(response)).toMatchInlineSnapshot(`
      "{"id":"chatcmpl-bH6LaZW8Fp_3nsEPqtaSwQ4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-pro-preview","choices":[{"index":0,"delta":{"role":"assistant","content":"There are **3**"},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-bH6LaZW8Fp_3nsEPqtaSwQ4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-pro-preview","choices":[{"index":0,"delta":{"content":" \\"r\\"s in strawberry.\\n\\nst**r**awbe**rr**y"},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-bH6LaZW8Fp_3nsEPqtaSwQ4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-pro-preview","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}
      {"id":"chatcmpl-bH6LaZW8Fp_3nsEPqtaSwQ4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-pro-preview","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":208,"total_tokens":217,"completion_tokens_details":{"reasoning_tokens":185}}}
      [DONE]"
    `);
    if (response.kind === 'stream') expect(await response.outcome).toEqual({ usage: { promptTokens: 9, completionTokens: 208, totalTokens: 217, reasoningTokens: 185 }, error: undefined });
  });

  it('keeps the usage chunk back when the caller did not ask, but still records usage', async () => {
    upstream.handle(sse('google-text.chunks.txt'));
    const response = await provider.call(googleRequest({ ...CHAT, stream: true }));
    const lines = (await streamLines(response)).split('\n');
    expect(lines.some((line) => line.includes('"usage"'))).toBe(false);
    expect(lines.at(-1)).toBe('[DONE]');
    if (response.kind === 'stream') expect((await response.outcome).usage?.totalTokens).toBe(217);
  });

  it('streams function calls whose arguments arrive in pieces', async () => {
    upstream.handle(sse('google-stream-tool-call-arguments.chunks.txt'));
    const response = await provider.call(googleRequest({ ...CHAT, stream: true }));
    expect(await streamLines(response)).toMatchInlineSnapshot(`
      "{"id":"chatcmpl-dqHOab6xGLzWodAPkPuViA4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3.1-pro-preview","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_dqHOab6xGLzWodAPkPuViA4_0","type":"function","function":{"name":"getWeather","arguments":""},"extra_content":{"google":{"thought_signature":"<signature>"}}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-dqHOab6xGLzWodAPkPuViA4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3.1-pro-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"location\\":\\"Boston\\"}"}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-dqHOab6xGLzWodAPkPuViA4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3.1-pro-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_dqHOab6xGLzWodAPkPuViA4_1","type":"function","function":{"name":"getWeather","arguments":""}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-dqHOab6xGLzWodAPkPuViA4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3.1-pro-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"location\\":\\"San Francisco\\"}"}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-dqHOab6xGLzWodAPkPuViA4","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3.1-pro-preview","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]}
      [DONE]"
    `);
  });

  it('streams thoughts as reasoning_content and calls without arguments', async () => {
    upstream.handle(sse('google-stream-no-args-tool-call.chunks.txt'));
    const response = await provider.call(googleRequest({ ...CHAT, stream: true }));
    expect(await streamLines(response)).toMatchInlineSnapshot(`
      "{"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"**Processing User Requests**\\n\\nI've started by understanding the user's instructions. Currently, I'm focusing on the initial steps: reading the specified theme using the appropriate tool. Next, I plan to tackle reading the screens, beginning with screen \\"A,\\" then proceeding with \\"B\\" and \\"C\\" in parallel as instructed.\\n\\n\\n"},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call__vr4aYiWEJnYodAPkujX0QM_0","type":"function","function":{"name":"read_theme","arguments":"{}"},"extra_content":{"google":{"thought_signature":"<signature>"}}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call__vr4aYiWEJnYodAPkujX0QM_1","type":"function","function":{"name":"read_screen","arguments":""}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\\"id\\":\\"A\\"}"}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":2,"id":"call__vr4aYiWEJnYodAPkujX0QM_2","type":"function","function":{"name":"read_screen","arguments":""}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":2,"function":{"arguments":"{\\"id\\":\\"B\\"}"}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":3,"id":"call__vr4aYiWEJnYodAPkujX0QM_3","type":"function","function":{"name":"read_screen","arguments":""}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{"tool_calls":[{"index":3,"function":{"arguments":"{\\"id\\":\\"C\\"}"}}]},"logprobs":null,"finish_reason":null}]}
      {"id":"chatcmpl-_vr4aYiWEJnYodAPkujX0QM","object":"chat.completion.chunk","created":1700000000,"model":"gemini-3-flash-preview","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]}
      [DONE]"
    `);
  });

  it('reassembles the same text and tool calls from a stream as from the whole answer', async () => {
    for (const [whole, streamed] of [
      ['google-reasoning.json', 'google-reasoning.chunks.txt'],
      ['google-tool-call.json', 'google-tool-call.chunks.txt'],
      ['written/google-json-mode.json', 'written/google-json-mode.chunks.txt'],
    ] as const) {
      upstream.handle(json(whole));
      const complete = JSON.parse(await bodyText(await provider.call(googleRequest(CHAT)))) as {
        choices: Array<{ message: { content: string | null; tool_calls?: Array<{ function: { name: string; arguments: string } }> } }>;
      };
      upstream.handle(sse(streamed));
      const chunks = ssePayloads(await bodyText(await provider.call(googleRequest({ ...CHAT, stream: true }))))
        .filter((payload) => payload !== '[DONE]')
        .map((payload) => JSON.parse(payload) as { choices: Array<{ delta: { content?: string; tool_calls?: Array<{ index: number; function?: { name?: string; arguments?: string } }> } }> });
      const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
      const calls: Array<{ name: string; arguments: string }> = [];
      for (const chunk of chunks) {
        for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
          const entry = (calls[call.index] ??= { name: '', arguments: '' });
          entry.name += call.function?.name ?? '';
          entry.arguments += call.function?.arguments ?? '';
        }
      }
      const message = complete.choices[0]?.message;
      expect(text).toBe(message?.content ?? '');
      expect(calls).toEqual((message?.tool_calls ?? []).map((call) => call.function));
    }
  });

  it('answers a blocked prompt with content_filter, streamed or not', async () => {
    upstream.handle(json('written/google-prompt-blocked.json'));
    const whole = JSON.parse(await bodyText(await provider.call(googleRequest(CHAT)))) as { choices: unknown };
    expect(whole.choices).toEqual([{ index: 0, message: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: 'content_filter' }]);
    upstream.handle(sse('written/google-prompt-blocked.chunks.txt'));
    expect(await streamLines(await provider.call(googleRequest({ ...CHAT, stream: true })))).toMatchInlineSnapshot(`
      "{"id":"chatcmpl-prompt-blocked-1","object":"chat.completion.chunk","created":1700000000,"model":"gemini-2.5-flash","choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":"content_filter"}]}
      [DONE]"
    `);
  });

  it('ends a stream with an error event when Google sends one mid-stream', async () => {
    upstream.handle(sse('written/google-stream-error.chunks.txt'));
    const response = await provider.call(googleRequest({ ...CHAT, stream: true }));
    expect(await streamLines(response)).toMatchInlineSnapshot(`
      "{"id":"chatcmpl-stream-error-1","object":"chat.completion.chunk","created":1700000000,"model":"gemini-2.5-flash","choices":[{"index":0,"delta":{"role":"assistant","content":"Cloud Appreciation Day is"},"logprobs":null,"finish_reason":null}]}
      {"error":{"message":"The model is overloaded. Please try again later.","type":"api_error","code":"UNAVAILABLE","param":null}}"
    `);
    if (response.kind === 'stream') expect((await response.outcome).error).toEqual({ status: 503, message: 'The model is overloaded. Please try again later.' });
  });

  it('ends a stream cut before its finishReason with an error event, not [DONE]', async () => {
    upstream.handle(reply(200, sseFrames(fixtureChunks('google/google-text.chunks.txt').slice(0, 2), false), { 'content-type': 'text/event-stream' }));
    const response = await provider.call(googleRequest({ ...CHAT, stream: true }));
    const lines = (await streamLines(response)).split('\n');
    expect(lines.at(-1)).toContain('stream_truncated');
    expect(lines).not.toContain('[DONE]');
  });

  it('ends a stream with an error event when an event is not JSON', async () => {
    upstream.handle(reply(200, 'data: {"candidates":[{"content":{"parts":[{"text":"Hi"}]}}]}\n\ndata: {not json\n\n', { 'content-type': 'text/event-stream' }));
    const lines = (await streamLines(await provider.call(googleRequest({ ...CHAT, stream: true })))).split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('invalid_upstream_response');
  });
});

describe('google provider: errors', () => {
  it.each([
    [400, 'written/google-error-400.json', 'API key not valid. Please pass a valid API key.'],
    [401, 'written/google-error-401.json', 'Request had invalid authentication credentials.'],
    [429, 'google-429-retry-info.json', 'You exceeded your current quota, please check your plan.'],
    [500, 'written/google-error-500.json', 'An internal error has occurred.'],
    [503, 'written/google-error-503.json', 'The model is overloaded.'],
  ] as const)('keeps HTTP %i and the message', async (status, fixture, message) => {
    upstream.handle(reply(status, fixtureText(`google/${fixture}`), { 'content-type': 'application/json' }));
    const error = await provider.call(googleRequest(CHAT)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBe(status);
    expect((error as UpstreamError).message).toContain(message);
    expect((error as UpstreamError).message).not.toContain(API_KEY);
  });

  it('keeps a 529 that is not Google JSON, as a retryable error', async () => {
    upstream.handle(reply(529, 'overloaded', { 'content-type': 'text/plain' }));
    const error = (await provider.call(googleRequest({ ...CHAT, stream: true })).catch((caught: unknown) => caught)) as UpstreamError;
    expect(error.status).toBe(529);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('overloaded');
  });

  it('reports an unreachable provider as 502 upstream_unreachable', async () => {
    const failing = createGoogleProvider({ fetch: () => Promise.reject(new TypeError('fetch failed')), clock });
    await expect(failing.call(googleRequest(CHAT))).rejects.toMatchObject({ status: 502, code: 'upstream_unreachable' });
  });

  it("rethrows the engine's abort reason", async () => {
    const controller = new AbortController();
    const reason = new BadGatewayError('timed out here', 'test_abort');
    controller.abort(reason);
    const aborting = createGoogleProvider({ fetch: () => Promise.reject(new DOMException('aborted', 'AbortError')), clock });
    await expect(aborting.call(googleRequest(CHAT, { signal: controller.signal }))).rejects.toBe(reason);
  });

  it('calls a non-JSON success a bad gateway, and refuses model names that would change the URL', async () => {
    upstream.handle(reply(200, '<html>', { 'content-type': 'text/html' }));
    await expect(provider.call(googleRequest(CHAT))).rejects.toMatchObject({ status: 502, code: 'invalid_upstream_response' });
    await expect(provider.call(googleRequest({ ...CHAT, model: '../files/x?key=1' }))).rejects.toMatchObject({ status: 400, param: 'model' });
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('google provider: other endpoints', () => {
  it('embeds one input with embedContent', async () => {
    upstream.handle(json('written/google-embed-content.json'));
    const response = await provider.call(
      googleRequest({ model: 'text-embedding-004', input: 'hello', dimensions: 4 }, { endpoint: 'embeddings', path: '/embeddings' }),
    );
    expect(upstream.requests[0]?.url).toBe('/v1beta/models/text-embedding-004:embedContent');
    expect(upstream.requests[0]?.headers['x-goog-api-key']).toBe(API_KEY);
    expect(sentBody()).toEqual({ content: { parts: [{ text: 'hello' }] }, outputDimensionality: 4 });
    expect(JSON.parse(await bodyText(response))).toEqual({
      object: 'list',
      data: [{ object: 'embedding', index: 0, embedding: [0.013168523, -0.008711934, -0.046782676, 0.00069968984] }],
      model: 'text-embedding-004',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });

  it('embeds several inputs with batchEmbedContents', async () => {
    upstream.handle(json('written/google-batch-embed-contents.json'));
    const response = await provider.call(googleRequest({ model: 'models/text-embedding-004', input: ['a', 'b'] }, { endpoint: 'embeddings', path: '/embeddings' }));
    expect(upstream.requests[0]?.url).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(sentBody()).toEqual({
      requests: [
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'a' }] } },
        { model: 'models/text-embedding-004', content: { parts: [{ text: 'b' }] } },
      ],
    });
    expect((JSON.parse(await bodyText(response)) as { data: unknown[] }).data).toHaveLength(2);
  });

  it('lists models in OpenAI shape', async () => {
    upstream.handle(json('written/google-models.json'));
    const response = await provider.call(googleRequest({}, { endpoint: 'models.list', method: 'GET', path: '/models', body: undefined }));
    expect(upstream.requests[0]?.method).toBe('GET');
    expect(upstream.requests[0]?.url).toBe('/v1beta/models?pageSize=1000');
    expect(JSON.parse(await bodyText(response))).toEqual({
      object: 'list',
      data: [
        { id: 'gemini-2.5-flash', object: 'model', created: 0, owned_by: 'google' },
        { id: 'text-embedding-004', object: 'model', created: 0, owned_by: 'google' },
      ],
    });
  });

  it('passes other paths through to the Gemini API with the key header', async () => {
    upstream.handle(reply(200, '{"totalTokens":7}', { 'content-type': 'application/json' }));
    const raw = new TextEncoder().encode('{"contents":[{"parts":[{"text":"hi"}]}]}');
    const response = await provider.call(
      googleRequest({}, { endpoint: 'passthrough', path: '/models/gemini-2.5-flash:countTokens', search: '?x=1', body: undefined, rawBody: raw }),
    );
    expect(response.kind).toBe('binary');
    expect(upstream.requests[0]?.url).toBe('/v1beta/models/gemini-2.5-flash:countTokens?x=1');
    expect(upstream.requests[0]?.headers['x-goog-api-key']).toBe(API_KEY);
    expect(upstream.requests[0]?.body.toString()).toBe('{"contents":[{"parts":[{"text":"hi"}]}]}');
    expect(await bodyText(response)).toBe('{"totalTokens":7}');
  });

  it('refuses endpoints Gemini has no equivalent for', async () => {
    await expect(provider.call(googleRequest({ model: 'x', prompt: 'y' }, { endpoint: 'completions' }))).rejects.toMatchObject({
      status: 400,
      code: 'unsupported_endpoint',
      message: 'google does not support completions',
    });
  });
});
