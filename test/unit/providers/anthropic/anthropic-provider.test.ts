import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadGatewayError, BadRequestError, GatewayError, RequestTimeoutError, UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { createAnthropicProvider } from '../../../../shared/src/providers/anthropic/anthropic-provider.ts';
import type { ProviderRequest, ProviderResponse } from '../../../../shared/src/providers/provider-model.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import {
  fixtureText,
  providerRequest,
  reply,
  ssePayloads,
  startMockUpstream,
  target,
  type MockUpstream,
} from '../../../support/mock-upstream.ts';
import { anthropicFixtureSse, reassemble } from './anthropic-sse.ts';

let upstream: MockUpstream;
beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
});

const clock = new FakeClock(1_700_000_000_000);
const provider = createAnthropicProvider({ fetch: globalThis.fetch, clock });
const JSON_HEADERS = { 'content-type': 'application/json', 'request-id': 'req_011CTest', 'anthropic-ratelimit-requests-remaining': '49' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'request-id': 'req_011CStream' };

function chatRequest(body: JsonObject, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return providerRequest({
    body: { model: 'claude-sonnet-4-5-20250929', ...body },
    target: target({ provider: 'anthropic', apiKey: 'sk-ant-test', customHost: `${upstream.origin}/v1` }),
    ...overrides,
  });
}

function complete(response: ProviderResponse) {
  if (response.kind !== 'complete') throw new Error(`expected complete, got ${response.kind}`);
  return { ...response, json: JSON.parse(new TextDecoder().decode(response.body)) as JsonObject };
}

function stream(response: ProviderResponse) {
  if (response.kind !== 'stream') throw new Error(`expected stream, got ${response.kind}`);
  return response;
}

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('the anthropic provider', () => {
  it('sends the converted request to /v1/messages with x-api-key and the default anthropic-version', async () => {
    upstream.handle(reply(200, fixtureText('anthropic/anthropic-text.json'), JSON_HEADERS));
    const answer = complete(
      await provider.call(chatRequest({ messages: [{ role: 'system', content: 'Be kind.' }, { role: 'user', content: 'Hello' }], seed: 3 })),
    );

    const sent = upstream.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe('sk-ant-test');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers['anthropic-beta']).toBeUndefined();
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent?.body.toString() ?? '')).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'Be kind.' }],
      messages: [{ role: 'user', content: 'Hello' }],
    });

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('request-id')).toBe('req_011CTest');
    expect(answer.headers.get('anthropic-ratelimit-requests-remaining')).toBe('49');
    expect(answer.headers.get('x-turnpike-warnings')).toBe('seed');
    expect(answer.json).toEqual({
      id: 'msg_01VdEjxAP5ahtHKrrRdNBteQ',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'claude-sonnet-4-5-20250929',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 12, completion_tokens: 29, total_tokens: 41, prompt_tokens_details: { cached_tokens: 0 } },
    });
    expect(answer.usage).toEqual({ promptTokens: 12, completionTokens: 29, totalTokens: 41, cachedPromptTokens: 0 });
  });

  it('takes anthropic-version and anthropic-beta from the target options before the caller’s headers', async () => {
    upstream.handle(reply(200, fixtureText('anthropic/anthropic-text.json'), JSON_HEADERS));
    const callerHeaders = new Headers({ 'anthropic-version': '2023-01-01', 'anthropic-beta': 'caller-beta-1' });
    await provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] }, { headers: callerHeaders }));
    expect(upstream.requests[0]?.headers['anthropic-version']).toBe('2023-01-01');
    expect(upstream.requests[0]?.headers['anthropic-beta']).toBe('caller-beta-1');

    await provider.call(
      chatRequest(
        { messages: [{ role: 'user', content: 'Hi' }] },
        {
          headers: callerHeaders,
          target: target({
            provider: 'anthropic',
            apiKey: 'sk-ant-test',
            customHost: `${upstream.origin}/v1`,
            options: { anthropic_version: '2024-02-02', anthropic_beta: 'prompt-caching-2024-07-31' },
          }),
        },
      ),
    );
    expect(upstream.requests[1]?.headers['anthropic-version']).toBe('2024-02-02');
    expect(upstream.requests[1]?.headers['anthropic-beta']).toBe('prompt-caching-2024-07-31');
  });

  it('streams OpenAI chunks with one id and, when asked, the usage chunk', async () => {
    upstream.handle(reply(200, anthropicFixtureSse('anthropic-text.chunks.txt'), SSE_HEADERS));
    const answer = stream(
      await provider.call(
        chatRequest({ messages: [{ role: 'user', content: 'Hello' }], stream: true, stream_options: { include_usage: true } }, { stream: true }),
      ),
    );
    expect(JSON.parse(upstream.requests[0]?.body.toString() ?? '')).toMatchObject({ stream: true });
    expect(upstream.requests[0]?.headers.accept).toBe('text/event-stream');
    expect(answer.headers.get('request-id')).toBe('req_011CStream');

    const payloads = ssePayloads(await new Response(answer.body).text());
    expect(reassemble(payloads).content).toBe("Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?");
    expect(payloads.at(-1)).toBe('[DONE]');
    expect(JSON.parse(payloads.at(-2) ?? '')).toMatchObject({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 } });
    expect(await answer.outcome).toEqual({
      usage: { promptTokens: 12, completionTokens: 30, totalTokens: 42, cachedPromptTokens: 0 },
      error: undefined,
    });
  });

  it.each([
    ['error-400-invalid-request.json', 400, 'invalid_request_error', false],
    ['error-401-authentication.json', 401, 'authentication_error', false],
    ['error-429-rate-limit.json', 429, 'rate_limit_error', true],
    ['error-529-overloaded.json', 529, 'overloaded_error', true],
    ['error-500-api.json', 500, 'api_error', true],
  ] as const)('maps %s to an UpstreamError with status %i that keeps Anthropic’s message', async (file, status, type, retryable) => {
    const text = fixtureText(`anthropic/written/${file}`);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'request-id': 'req_err' };
    if (status === 429) headers['retry-after'] = '7';
    upstream.handle(reply(status, text, headers));
    const error = await rejection(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] })));
    expect(error).toBeInstanceOf(UpstreamError);
    const native = JSON.parse(text) as { error: { message: string } };
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.toOpenAIError()).toEqual({ error: { message: native.error.message, type, code: null, param: null } });
    expect(error.headers['request-id']).toBe('req_err');
    if (status === 429) {
      expect((error as UpstreamError).retryAfterMs).toBe(7000);
      expect(error.headers['retry-after']).toBe('7');
    }
  });

  it('reports an answer that is not JSON as a bad gateway', async () => {
    upstream.handle(reply(200, '<html>proxy</html>', { 'content-type': 'text/html' }));
    const error = await rejection(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] })));
    expect(error).toBeInstanceOf(BadGatewayError);
    expect(error.code).toBe('invalid_upstream_response');
  });

  it('reports an unreachable host as upstream_unreachable and passes the engine’s abort reason on', async () => {
    const unreachable = chatRequest(
      { messages: [{ role: 'user', content: 'Hi' }] },
      { target: target({ provider: 'anthropic', apiKey: 'k', customHost: 'http://127.0.0.1:1/v1' }) },
    );
    expect((await rejection(provider.call(unreachable))).code).toBe('upstream_unreachable');

    const controller = new AbortController();
    controller.abort(new RequestTimeoutError(50));
    const aborted = await rejection(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] }, { signal: controller.signal })));
    expect(aborted).toBeInstanceOf(RequestTimeoutError);
  });

  it.each(['embeddings', 'completions', 'images.generations', 'audio.speech'] as const)('refuses %s as unsupported', async (endpoint) => {
    const error = await rejection(provider.call(chatRequest({ model: 'x', input: 'hi' }, { endpoint })));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.status).toBe(400);
    expect(error.code).toBe('unsupported_endpoint');
    expect(error.message).toBe(`anthropic does not support ${endpoint}`);
    expect(upstream.requests).toHaveLength(0);
  });

  it('maps models.list to OpenAI’s list shape', async () => {
    upstream.handle(reply(200, fixtureText('anthropic/written/models-list.json'), JSON_HEADERS));
    const answer = complete(
      await provider.call(chatRequest({}, { endpoint: 'models.list', method: 'GET', path: '/models', search: '?limit=2', body: undefined })),
    );
    expect(upstream.requests[0]?.url).toBe('/v1/models?limit=2');
    expect(upstream.requests[0]?.headers['x-api-key']).toBe('sk-ant-test');
    expect(answer.json).toEqual({
      object: 'list',
      data: [
        { id: 'claude-sonnet-4-5-20250929', object: 'model', created: 1_759_104_000, owned_by: 'anthropic' },
        { id: 'claude-haiku-4-5-20251001', object: 'model', created: 1_760_486_400, owned_by: 'anthropic' },
      ],
    });
  });

  describe('passthrough', () => {
    const nativeBody = '{"model":"claude-sonnet-4-5-20250929","max_tokens":64,"messages":[{"role":"user","content":"Hello"}]}';

    function passthroughRequest(overrides: Partial<ProviderRequest> = {}): ProviderRequest {
      return chatRequest(
        {},
        {
          endpoint: 'passthrough',
          path: '/messages',
          body: undefined,
          rawBody: new TextEncoder().encode(nativeBody),
          contentType: 'application/json',
          headers: new Headers({ 'content-type': 'application/json', 'anthropic-beta': 'files-api-2025-04-14', accept: 'application/json' }),
          ...overrides,
        },
      );
    }

    it('relays a native /messages call byte for byte with Anthropic auth', async () => {
      const native = fixtureText('anthropic/anthropic-text.json');
      upstream.handle(reply(200, native, JSON_HEADERS));
      const answer = await provider.call(passthroughRequest());
      if (answer.kind !== 'binary') throw new Error(`expected binary, got ${answer.kind}`);
      expect(await new Response(answer.body).text()).toBe(native);
      expect(answer.headers.get('content-type')).toBe('application/json');
      const sent = upstream.requests[0];
      expect(sent?.url).toBe('/v1/messages');
      expect(sent?.body.toString()).toBe(nativeBody);
      expect(sent?.headers['x-api-key']).toBe('sk-ant-test');
      expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
      expect(sent?.headers['anthropic-beta']).toBe('files-api-2025-04-14');
    });

    it('relays a native stream as it arrives, without waiting for its end', async () => {
      const sse = anthropicFixtureSse('anthropic-text.chunks.txt');
      const firstEvent = sse.slice(0, sse.indexOf('\n\n') + 2);
      let finish: () => void = () => undefined;
      upstream.handle((_request, response) => {
        response.writeHead(200, SSE_HEADERS);
        response.write(firstEvent);
        finish = () => response.end(sse.slice(firstEvent.length));
      });
      const answer = await provider.call(passthroughRequest({ headers: new Headers({ accept: 'text/event-stream' }) }));
      if (answer.kind !== 'binary' || answer.body === null) throw new Error('expected a binary body');
      expect(answer.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const reader = answer.body.getReader();
      const first = await reader.read();
      expect(new TextDecoder().decode(first.value)).toBe(firstEvent);
      finish();
      let rest = '';
      for (let next = await reader.read(); !next.done; next = await reader.read()) rest += new TextDecoder().decode(next.value);
      expect(firstEvent + rest).toBe(sse);
    });

    it('turns a native error answer into an UpstreamError that keeps type and message', async () => {
      upstream.handle(reply(529, fixtureText('anthropic/written/error-529-overloaded.json'), { 'content-type': 'application/json' }));
      const error = await rejection(provider.call(passthroughRequest()));
      expect(error.status).toBe(529);
      expect(error.toOpenAIError().error).toMatchObject({ type: 'overloaded_error', message: 'Overloaded' });
    });
  });
});
