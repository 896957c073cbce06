import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadGatewayError, BadRequestError, GatewayError, RequestTimeoutError, UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { createCohereProvider } from '../../../../shared/src/providers/cohere/cohere-provider.ts';
import type { ProviderRequest, ProviderResponse } from '../../../../shared/src/providers/provider-model.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { fixtureText, type MockUpstream, providerRequest, reply, ssePayloads, startMockUpstream, target } from '../../../support/mock-upstream.ts';
import { cohereChunks, cohereSse, replayCohereStream } from './cohere-fixture-streams.ts';

let upstream: MockUpstream;
const clock = new FakeClock();
const provider = createCohereProvider({ fetch, clock });

beforeAll(async () => {
  upstream = await startMockUpstream();
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
});

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream' };

function cohereTarget() {
  return target({ provider: 'cohere', apiKey: 'co-test-key', customHost: upstream.origin });
}

function chatRequest(body: JsonObject, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return providerRequest({ body: { model: 'command-a-03-2025', ...body }, target: cohereTarget(), ...overrides });
}

function sentBody(index = 0): unknown {
  return JSON.parse(upstream.requests[index]?.body.toString() ?? '');
}

async function completeJson(response: ProviderResponse): Promise<unknown> {
  if (response.kind !== 'complete') throw new Error(`expected a complete answer, got ${response.kind}`);
  return JSON.parse(new TextDecoder().decode(response.body));
}

async function failure(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('the Cohere provider, chat', () => {
  it('sends a v2 chat request with bearer auth and answers in OpenAI shape', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-text.json'), JSON_HEADERS));
    const response = await provider.call(chatRequest({ messages: [{ role: 'user', content: 'What is the capital of France?' }], temperature: 0 }));

    const sent = upstream.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/v2/chat');
    expect(sent?.headers.authorization).toBe('Bearer co-test-key');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(sent?.headers.accept).toBe('application/json');
    expect(sentBody()).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'What is the capital of France?' }], temperature: 0 });

    expect(response).toMatchObject({ kind: 'complete', status: 200, usage: { promptTokens: 507, completionTokens: 10, totalTokens: 517, cachedPromptTokens: 448 } });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-turnpike-warnings')).toBeNull();
    expect(await completeJson(response)).toEqual({
      id: 'e7592632-1e3d-424f-b129-bd5f9f980f7b',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'command-a-03-2025',
      choices: [{ index: 0, message: { role: 'assistant', content: 'The capital of France is Paris.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } },
    });
  });

  it('names dropped parameters in x-turnpike-warnings', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-text.json'), JSON_HEADERS));
    const response = await provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }], user: 'u1', logit_bias: { '1': 1 } }));
    expect(response.headers.get('x-turnpike-warnings')).toBe('user,logit_bias');
    expect(sentBody()).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('puts a custom host with a path in front of the API paths and forwards named headers', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-text.json'), JSON_HEADERS));
    await provider.call(
      chatRequest(
        { messages: [{ role: 'user', content: 'Hi' }] },
        {
          target: { ...cohereTarget(), customHost: `${upstream.origin}/proxy/cohere/`, forwardHeaders: ['x-client-name', 'authorization'] },
          headers: new Headers({ 'x-client-name': 'turnpike-test', authorization: 'Bearer caller-header' }),
        },
      ),
    );
    expect(upstream.requests[0]?.url).toBe('/proxy/cohere/v2/chat');
    expect(upstream.requests[0]?.headers['x-client-name']).toBe('turnpike-test');
    // The target's key wins over a forwarded Authorization header.
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer co-test-key');
  });

  it('streams the reply as OpenAI chunks and records usage', async () => {
    const lines = cohereChunks('cohere-text.chunks.txt');
    upstream.handle(reply(200, cohereSse(lines), SSE_HEADERS));
    const response = await provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }));
    expect(upstream.requests[0]?.headers.accept).toBe('text/event-stream');
    expect(sentBody()).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    if (response.kind !== 'stream') throw new Error('expected a stream');
    expect(ssePayloads(await new Response(response.body).text())).toEqual(await replayCohereStream(lines));
    expect(await response.outcome).toEqual({ usage: { promptTokens: 507, completionTokens: 10, totalTokens: 517, cachedPromptTokens: 448 }, error: undefined });
  });

  it('ends the stream with an error event when Cohere fails mid-stream', async () => {
    upstream.handle(reply(200, cohereSse(cohereChunks('cohere-error-mid-stream.chunks.txt')), SSE_HEADERS));
    const response = await provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    if (response.kind !== 'stream') throw new Error('expected a stream');
    const payloads = ssePayloads(await new Response(response.body).text());
    expect(JSON.parse(payloads.at(-1) ?? '')).toMatchObject({ error: { message: 'internal error: generation failed, please try again' } });
    expect(await response.outcome).toMatchObject({ error: { status: 500, message: 'internal error: generation failed, please try again' } });
  });

  it('reports a cut connection as a truncated stream', async () => {
    const lines = cohereChunks('cohere-text.chunks.txt').slice(0, 4);
    upstream.handle((_request, response) => {
      response.writeHead(200, SSE_HEADERS);
      response.write(cohereSse(lines), () => response.destroy());
    });
    const response = await provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    if (response.kind !== 'stream') throw new Error('expected a stream');
    const payloads = ssePayloads(await new Response(response.body).text());
    expect(JSON.parse(payloads.at(-1) ?? '')).toMatchObject({ error: { code: 'stream_truncated' } });
  });

  it('fails a non-streamed answer whose finish reason is ERROR', async () => {
    upstream.handle(reply(200, JSON.stringify({ id: 'x', finish_reason: 'ERROR', message: { role: 'assistant', content: [] } }), JSON_HEADERS));
    const error = await failure(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] })));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 500, code: 'generation_error', retryable: true });
  });

  it('rejects a body that is not JSON with 502', async () => {
    upstream.handle(reply(200, '<html>oops</html>', { 'content-type': 'text/html' }));
    const error = await failure(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] })));
    expect(error).toBeInstanceOf(BadGatewayError);
    expect(error.code).toBe('invalid_upstream_response');
  });
});

describe('the Cohere provider, errors', () => {
  const cases = [
    { status: 400, type: 'invalid_request_error', message: 'invalid request: message must be at least 1 token long or tool results must be specified.' },
    { status: 401, type: 'authentication_error', message: 'invalid api token' },
    { status: 429, type: 'rate_limit_error', message: 'You are using a Trial key, which is limited to 20 API calls / minute.' },
    { status: 529, type: 'api_error', message: 'The model is overloaded; please try again later.' },
    { status: 500, type: 'api_error', message: 'internal server error, this has been reported to our developers.' },
  ];
  for (const { status, type, message } of cases) {
    it(`keeps status ${status} and Cohere's message`, async () => {
      upstream.handle(reply(status, fixtureText(`cohere/cohere-error-${status}.json`), JSON_HEADERS));
      const error = await failure(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] })));
      expect(error).toBeInstanceOf(UpstreamError);
      expect(error.status).toBe(status);
      expect(error.toOpenAIError().error.type).toBe(type);
      expect(error.message).toContain(message);
      expect(error.retryable).toBe(status >= 429);
    });
  }

  it('keeps the Retry-After hint and rate-limit headers of a 429, also for a stream request', async () => {
    upstream.handle(reply(429, fixtureText('cohere/cohere-error-429.json'), { ...JSON_HEADERS, 'retry-after': '7', 'x-ratelimit-remaining': '0', 'x-secret': 'no' }));
    const error = await failure(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }], stream: true })));
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).retryAfterMs).toBe(7000);
    expect(error.headers).toEqual({ 'retry-after': '7', 'x-ratelimit-remaining': '0' });
  });

  it('keeps a non-JSON error page as the message', async () => {
    upstream.handle(reply(503, 'upstream connect error', { 'content-type': 'text/plain' }));
    const error = await failure(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] })));
    expect(error).toMatchObject({ status: 503, message: 'upstream connect error' });
  });

  it('maps a refused connection to 502 upstream_unreachable without the URL', async () => {
    const closed = await startMockUpstream();
    await closed.close();
    const error = await failure(provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] }, { target: { ...cohereTarget(), customHost: closed.origin } })));
    expect(error).toMatchObject({ status: 502, code: 'upstream_unreachable' });
    expect(error.message).not.toContain('127.0.0.1');
  });

  it("rethrows the engine's abort reason", async () => {
    upstream.handle(() => undefined);
    const controller = new AbortController();
    const pending = provider.call(chatRequest({ messages: [{ role: 'user', content: 'Hi' }] }, { signal: controller.signal }));
    await upstream.requestArrived(0);
    controller.abort(new RequestTimeoutError(50));
    const error = await failure(pending);
    expect(error).toBeInstanceOf(RequestTimeoutError);
  });

  it('rejects endpoints Cohere has no equivalent for', async () => {
    const error = await failure(provider.call(providerRequest({ endpoint: 'images.generations', path: '/images/generations', target: cohereTarget() })));
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ code: 'unsupported_endpoint', message: 'cohere does not support images.generations' });
  });
});

describe('the Cohere provider, embeddings', () => {
  function embedRequest(body: JsonObject): ProviderRequest {
    return providerRequest({ endpoint: 'embeddings', path: '/embeddings', body: { model: 'embed-english-v3.0', ...body }, target: cohereTarget() });
  }

  it('sends /v2/embed for documents and answers in OpenAI shape', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-embedding.json'), JSON_HEADERS));
    const response = await provider.call(embedRequest({ input: ['sunny day at the beach', 'rainy day in the city'], dimensions: 5 }));
    expect(upstream.requests[0]?.url).toBe('/v2/embed');
    expect(sentBody()).toEqual({
      model: 'embed-english-v3.0',
      texts: ['sunny day at the beach', 'rainy day in the city'],
      input_type: 'search_document',
      embedding_types: ['float'],
      output_dimension: 5,
    });
    expect(await completeJson(response)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.03302002, 0.020904541, -0.019744873, -0.0625, 0.04437256] },
        { object: 'embedding', index: 1, embedding: [-0.04660034, 0.00037765503, -0.061157227, -0.08239746, -0.010360718] },
      ],
      model: 'embed-english-v3.0',
      usage: { prompt_tokens: 10, total_tokens: 10 },
    });
    expect(response).toMatchObject({ usage: { promptTokens: 10, completionTokens: 0, totalTokens: 10 } });
  });

  it('encodes base64 as little-endian float32, takes input_type and truncate, and warns about the rest', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-embedding.json'), JSON_HEADERS));
    const response = await provider.call(embedRequest({ input: 'a query', encoding_format: 'base64', input_type: 'search_query', truncate: 'END', user: 'u1' }));
    expect(sentBody()).toEqual({ model: 'embed-english-v3.0', texts: ['a query'], input_type: 'search_query', embedding_types: ['float'], truncate: 'END' });
    expect(response.headers.get('x-turnpike-warnings')).toBe('user');
    const answer = (await completeJson(response)) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(answer.data[0]?.embedding ?? '', 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, index) => bytes.readFloatLE(index * 4));
    expect(decoded).toEqual([0.03302002, 0.020904541, -0.019744873, -0.0625, 0.04437256].map(Math.fround));
  });

  it('rejects token-array input', async () => {
    const error = await failure(provider.call(embedRequest({ input: [1, 2, 3] })));
    expect(error).toMatchObject({ status: 400, param: 'input' });
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('the Cohere provider, models and passthrough', () => {
  it('lists models in OpenAI shape', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-models.json'), JSON_HEADERS));
    const response = await provider.call(providerRequest({ endpoint: 'models.list', method: 'GET', path: '/models', body: undefined, target: cohereTarget() }));
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', url: '/v1/models?page_size=1000' });
    expect(await completeJson(response)).toEqual({
      object: 'list',
      data: [
        { id: 'command-a-03-2025', object: 'model', created: 0, owned_by: 'cohere' },
        { id: 'embed-v4.0', object: 'model', created: 0, owned_by: 'cohere' },
      ],
    });
  });

  it('forwards other paths to the v2 API with Cohere auth, byte for byte', async () => {
    const answer = JSON.stringify({ id: 'r1', results: [{ index: 0, relevance_score: 0.9 }] });
    upstream.handle(reply(200, answer, { ...JSON_HEADERS, 'x-secret-upstream': 'x' }));
    const rawBody = new TextEncoder().encode('{"model":"rerank-v3.5","query":"q","documents":["a"]}');
    const response = await provider.call(
      providerRequest({ endpoint: 'passthrough', path: '/rerank', search: '?trace=1', body: undefined, rawBody, contentType: 'application/json', target: cohereTarget() }),
    );
    expect(upstream.requests[0]).toMatchObject({ method: 'POST', url: '/v2/rerank?trace=1' });
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer co-test-key');
    expect(upstream.requests[0]?.body.toString()).toBe('{"model":"rerank-v3.5","query":"q","documents":["a"]}');
    expect(response.kind).toBe('binary');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-secret-upstream')).toBeNull();
    if (response.kind !== 'binary') throw new Error('expected binary');
    expect(await new Response(response.body).text()).toBe(answer);
  });

  it('keeps an explicit API version in a passthrough path', async () => {
    upstream.handle(reply(200, '{}', JSON_HEADERS));
    await provider.call(providerRequest({ endpoint: 'passthrough', method: 'GET', path: '/v1/datasets', body: undefined, target: cohereTarget() }));
    expect(upstream.requests[0]).toMatchObject({ method: 'GET', url: '/v1/datasets' });
  });
});
