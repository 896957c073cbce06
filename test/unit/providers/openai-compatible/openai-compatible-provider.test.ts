import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BadGatewayError,
  BadRequestError,
  RequestTimeoutError,
  UpstreamError,
} from '../../../../shared/src/core/gateway-error.ts';
import { usageFromOpenAI } from '../../../../shared/src/core/usage.ts';
import { createNodeHttpFetch } from '../../../../shared/src/adapters/node/node-http-fetch.ts';
import { createOpenAICompatibleProvider } from '../../../../shared/src/providers/openai-compatible/openai-compatible-provider.ts';
import { OPENAI_COMPATIBLE_SPECS } from '../../../../shared/src/providers/openai-compatible/openai-compatible-providers.ts';
import type { ProviderModel, ProviderResponse } from '../../../../shared/src/providers/provider-model.ts';
import { fixtureText, providerRequest, reply, startMockUpstream, target, type MockUpstream } from '../../../support/mock-upstream.ts';

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

function provider(id: string): ProviderModel {
  const spec = OPENAI_COMPATIBLE_SPECS.get(id);
  if (spec === undefined) throw new Error(`no spec ${id}`);
  return createOpenAICompatibleProvider(spec, { fetch: globalThis.fetch, now: () => Date.parse('2026-01-01T00:00:00Z') });
}

function local(overrides: Parameters<typeof target>[0] = {}) {
  return target({ customHost: `${upstream.origin}/v1/`, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

function complete(response: ProviderResponse) {
  if (response.kind !== 'complete') throw new Error(`expected complete, got ${response.kind}`);
  return response;
}

describe('non-streamed chat completions replayed from recorded answers', () => {
  const cases = [
    ['openai', 'openai/openai-text.json'],
    ['groq', 'groq/groq-text.json'],
    ['mistral-ai', 'mistral/mistral-text.json'],
    ['deepseek', 'deepseek/deepseek-text.json'],
    ['x-ai', 'openai-compatible/xai-text.json'],
  ] as const;

  it.each(cases)('%s: sends the request as given and returns the answer bytes unchanged', async (id, fixture) => {
    const recorded = fixtureText(fixture);
    upstream.handle(
      reply(200, recorded, {
        'content-type': 'application/json',
        'x-request-id': 'req_123',
        'openai-processing-ms': '42',
        'x-ratelimit-remaining-requests': '99',
        'set-cookie': 'session=1',
      }),
    );
    const body = { model: 'some-model', messages: [{ role: 'user', content: 'Invent a holiday.' }], temperature: 0.3 };
    const response = complete(await provider(id).call(providerRequest({ body, target: local() })));

    expect(upstream.requests).toHaveLength(1);
    const sent = upstream.requests[0]!;
    expect(sent.method).toBe('POST');
    expect(sent.url).toBe('/v1/chat/completions');
    expect(sent.headers['authorization']).toBe('Bearer sk-test-secret');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.headers['accept']).toBe('application/json');
    expect(sent.body.toString()).toBe(JSON.stringify(body));

    expect(response.status).toBe(200);
    expect(Buffer.from(response.body).toString()).toBe(recorded);
    expect(response.usage).toEqual(usageFromOpenAI(JSON.parse(recorded).usage));
    expect(response.usage?.promptTokens).toBeGreaterThan(0);
    expect(Object.fromEntries(response.headers)).toEqual({
      'content-type': 'application/json',
      'x-request-id': 'req_123',
      'openai-processing-ms': '42',
      'x-ratelimit-remaining-requests': '99',
    });
  });
});

describe('request shaping', () => {
  it('passes unknown and out-of-range parameters through untouched', async () => {
    upstream.handle(reply(200, fixtureText('openai/openai-text.json'), { 'content-type': 'application/json' }));
    const body = {
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: 'hi' }],
      max_tokens: 10_000_000,
      temperature: 7,
      vendor_extension: { nested: [1, 'two', null] },
      top_k: 3,
    };
    await provider('openai').call(providerRequest({ body, target: local() }));
    expect(upstream.requests[0]!.body.toString()).toBe(JSON.stringify(body));
  });

  it('forwards only the named caller headers, never hop-by-hop ones', async () => {
    upstream.handle(reply(200, fixtureText('openai/openai-text.json'), { 'content-type': 'application/json' }));
    const headers = new Headers({
      authorization: 'Bearer caller-token',
      'x-portkey-api-key': 'tp-gateway-key',
      'x-tenant': 'acme',
      'openai-organization': 'org-1',
      'content-length': '12',
      connection: 'close',
    });
    await provider('openai').call(
      providerRequest({
        headers,
        target: local({ forwardHeaders: ['X-Tenant', 'openai-organization', 'content-length', 'connection', 'x-absent'] }),
      }),
    );
    const sent = upstream.requests[0]!.headers;
    expect(sent['x-tenant']).toBe('acme');
    expect(sent['openai-organization']).toBe('org-1');
    expect(sent['authorization']).toBe('Bearer sk-test-secret');
    expect(sent['x-portkey-api-key']).toBeUndefined();
    expect(sent['x-absent']).toBeUndefined();
    expect(sent['content-length']).not.toBe('12');
  });

  it("the target's credential wins over a forwarded authorization header", async () => {
    upstream.handle(reply(200, fixtureText('openai/openai-text.json'), { 'content-type': 'application/json' }));
    await provider('openai').call(
      providerRequest({
        headers: new Headers({ authorization: 'Bearer caller-token' }),
        target: local({ forwardHeaders: ['authorization'] }),
      }),
    );
    expect(upstream.requests[0]!.headers['authorization']).toBe('Bearer sk-test-secret');
  });

  it('forwards an explicitly named authorization header to a provider without a key', async () => {
    upstream.handle(reply(200, fixtureText('openai/openai-text.json'), { 'content-type': 'application/json' }));
    await provider('ollama').call(
      providerRequest({
        headers: new Headers({ authorization: 'Bearer caller-token' }),
        target: local({ apiKey: undefined, forwardHeaders: ['authorization'] }),
      }),
    );
    expect(upstream.requests[0]!.headers['authorization']).toBe('Bearer caller-token');
  });

  it('sends no authorization header when a keyless provider has no key', async () => {
    upstream.handle(reply(200, fixtureText('openai/openai-text.json'), { 'content-type': 'application/json' }));
    await provider('ollama').call(providerRequest({ target: local({ apiKey: undefined }) }));
    expect(upstream.requests[0]!.headers['authorization']).toBeUndefined();
  });

  it('keeps the query string and lists models with a GET and no body', async () => {
    const models = '{"object":"list","data":[{"id":"gpt-4.1-nano","object":"model"}]}';
    upstream.handle(reply(200, models, { 'content-type': 'application/json' }));
    const response = complete(
      await provider('openai').call(
        providerRequest({ endpoint: 'models.list', method: 'GET', path: '/models', search: '?limit=2', body: undefined, target: local() }),
      ),
    );
    const sent = upstream.requests[0]!;
    expect(sent.method).toBe('GET');
    expect(sent.url).toBe('/v1/models?limit=2');
    expect(sent.body.byteLength).toBe(0);
    expect(Buffer.from(response.body).toString()).toBe(models);
    expect(response.usage).toBeUndefined();
  });
});

describe('raw bodies and binary answers', () => {
  it('sends a multipart upload byte for byte with its boundary', async () => {
    upstream.handle(reply(200, 'Hello from the recording.', { 'content-type': 'text/plain; charset=utf-8' }));
    const boundary = '----turnpike-test-boundary';
    const audio = Buffer.from([0x49, 0x44, 0x33, 0x00, 0xff, 0xfe, 0x0d, 0x0a, 0x80]);
    const rawBody = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="response_format"\r\n\r\ntext\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.mp3"\r\nContent-Type: audio/mpeg\r\n\r\n`),
      audio,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const contentType = `multipart/form-data; boundary=${boundary}`;
    const response = complete(
      await provider('groq').call(
        providerRequest({
          endpoint: 'audio.transcriptions',
          path: '/audio/transcriptions',
          body: undefined,
          rawBody: new Uint8Array(rawBody),
          contentType,
          headers: new Headers({ 'content-type': contentType }),
          target: local(),
        }),
      ),
    );
    const sent = upstream.requests[0]!;
    expect(sent.url).toBe('/v1/audio/transcriptions');
    expect(sent.headers['content-type']).toBe(contentType);
    expect(sent.body.equals(rawBody)).toBe(true);
    expect(Buffer.from(response.body).toString()).toBe('Hello from the recording.');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  });

  it('streams speech audio back as binary', async () => {
    const audio = Buffer.from([0xff, 0xf3, 0x44, 0xc4, 0x00, 0x00]);
    upstream.handle(reply(200, audio, { 'content-type': 'audio/mpeg' }));
    const response = await provider('openai').call(
      providerRequest({
        endpoint: 'audio.speech',
        path: '/audio/speech',
        body: { model: 'tts-1', input: 'hello', voice: 'alloy' },
        headers: new Headers({ accept: 'application/octet-stream' }),
        target: local(),
      }),
    );
    expect(response.kind).toBe('binary');
    if (response.kind !== 'binary') return;
    expect(upstream.requests[0]!.headers['accept']).toBe('application/octet-stream');
    expect(Buffer.from(await new Response(response.body).arrayBuffer()).equals(audio)).toBe(true);
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(response.headers.get('content-length')).toBeNull();
  });

  it('passes any passthrough answer through as binary', async () => {
    upstream.handle(reply(200, '{"id":"file-abc","object":"file"}', { 'content-type': 'application/json' }));
    const response = await provider('openai').call(
      providerRequest({ endpoint: 'passthrough', method: 'GET', path: '/files/file-abc', body: undefined, target: local() }),
    );
    expect(upstream.requests[0]!.url).toBe('/v1/files/file-abc');
    expect(response.kind).toBe('binary');
    if (response.kind !== 'binary') return;
    expect(await new Response(response.body).text()).toBe('{"id":"file-abc","object":"file"}');
  });
});

describe('upstream errors', () => {
  it('turns a 429 with retry-after seconds into a retryable UpstreamError with its headers', async () => {
    const body = '{"error":{"message":"Rate limit reached for gpt-4.1-nano","type":"requests","param":null,"code":"rate_limit_exceeded"}}';
    upstream.handle(
      reply(429, body, {
        'content-type': 'application/json',
        'retry-after': '7',
        'x-ratelimit-remaining-requests': '0',
        'x-request-id': 'req_429',
        'set-cookie': 'a=b',
      }),
    );
    const error = await failure(provider('openai').call(providerRequest({ target: local() })));
    expect(error).toBeInstanceOf(UpstreamError);
    const upstreamError = error as UpstreamError;
    expect(upstreamError.status).toBe(429);
    expect(upstreamError.retryable).toBe(true);
    expect(upstreamError.retryAfterMs).toBe(7000);
    expect(upstreamError.provider).toBe('openai');
    expect(upstreamError.headers).toEqual({
      'retry-after': '7',
      'x-ratelimit-remaining-requests': '0',
      'x-request-id': 'req_429',
    });
    expect(upstreamError.toOpenAIError()).toEqual(JSON.parse(body));
  });

  it('prefers retry-after-ms over retry-after', async () => {
    upstream.handle(reply(429, '{"error":{"message":"slow down","type":"tokens","code":null,"param":null}}', { 'retry-after-ms': '1500', 'retry-after': '2' }));
    const error = (await failure(provider('groq').call(providerRequest({ target: local() })))) as UpstreamError;
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(1500);
  });

  it('keeps an OpenAI-shaped 400 exactly as the provider sent it', async () => {
    const recorded = fixtureText('openai/reasoning-model-legacy-parameter-error.json');
    upstream.handle(reply(400, recorded, { 'content-type': 'application/json' }));
    const error = (await failure(provider('openai').call(providerRequest({ target: local() })))) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('max_tokens');
    expect(error.toOpenAIError()).toEqual(JSON.parse(recorded));
  });

  it('wraps a 500 with a text body in the OpenAI error shape', async () => {
    upstream.handle(reply(500, 'upstream connect error or disconnect/reset before headers', { 'content-type': 'text/plain' }));
    const error = (await failure(provider('together-ai').call(providerRequest({ target: local() })))) as UpstreamError;
    expect(error.status).toBe(500);
    expect(error.retryable).toBe(true);
    expect(error.toOpenAIError()).toEqual({
      error: { message: 'upstream connect error or disconnect/reset before headers', type: 'upstream_error', code: null, param: null },
    });
  });

  it('wraps JSON that is not OpenAI-shaped, such as Mistral validation errors', async () => {
    const body = '{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body","foo"]}]},"type":"invalid_request_error","param":null,"code":null}';
    upstream.handle(reply(422, body, { 'content-type': 'application/json' }));
    const error = (await failure(provider('mistral-ai').call(providerRequest({ target: local() })))) as UpstreamError;
    expect(error.status).toBe(422);
    expect(error.toOpenAIError().error).toEqual({ message: body, type: 'upstream_error', code: null, param: null });
  });

  it('truncates a huge error page to 2000 characters', async () => {
    upstream.handle(reply(502, `<html>${'x'.repeat(5000)}</html>`, { 'content-type': 'text/html' }));
    const error = (await failure(provider('openrouter').call(providerRequest({ target: local() })))) as UpstreamError;
    expect(error.status).toBe(502);
    expect(error.message.length).toBeLessThanOrEqual(2001);
  });

  it('rejects a 2xx answer that is not JSON as invalid_upstream_response', async () => {
    upstream.handle(reply(200, '<html>maintenance</html>', { 'content-type': 'text/html' }));
    const error = (await failure(provider('openai').call(providerRequest({ target: local() })))) as BadGatewayError;
    expect(error).toBeInstanceOf(BadGatewayError);
    expect(error.status).toBe(502);
    expect(error.code).toBe('invalid_upstream_response');
  });
});

describe('transport failures', () => {
  it('reports an unreachable provider as a retryable 502 that names the provider, not the URL or key', async () => {
    const closed = await startMockUpstream();
    await closed.close();
    const error = (await failure(
      provider('deepseek').call(providerRequest({ target: target({ customHost: `${closed.origin}/v1` }) })),
    )) as BadGatewayError;
    expect(error).toBeInstanceOf(BadGatewayError);
    expect(error.code).toBe('upstream_unreachable');
    expect(error.status).toBe(502);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('Could not reach deepseek (ECONNREFUSED).');
    expect(error.message).not.toContain('127.0.0.1');
    expect(error.message).not.toContain('sk-test-secret');
  });

  it.each([
    ['built-in fetch', globalThis.fetch],
    ['node:http transport', createNodeHttpFetch()],
  ] as const)('refuses to follow a redirect (%s) and reports a 502 upstream_redirect', async (_name, fetch) => {
    upstream.handle((_request, response) => {
      // An allowed custom host sending the gateway on to the cloud metadata address.
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
      response.end();
    });
    const spec = OPENAI_COMPATIBLE_SPECS.get('openai')!;
    const openai = createOpenAICompatibleProvider(spec, { fetch });
    const error = (await failure(openai.call(providerRequest({ target: local() })))) as BadGatewayError;
    expect(error).toBeInstanceOf(BadGatewayError);
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_redirect');
    expect(error.message).toBe('openai answered with a redirect, which the gateway does not follow.');
    expect(error.message).not.toContain('169.254');
    expect(upstream.requests).toHaveLength(1);
  });

  it('rethrows the engine abort reason instead of wrapping it', async () => {
    upstream.handle(() => {
      // Never answers: the abort must end the call.
    });
    const controller = new AbortController();
    const pending = provider('openai').call(providerRequest({ target: local(), signal: controller.signal }));
    await upstream.requestArrived(0);
    const timeout = new RequestTimeoutError(50);
    controller.abort(timeout);
    expect(await failure(pending)).toBe(timeout);
    expect(await upstream.responseClosed(0)).toEqual({ finished: false });
  });

  it('throws a clear BadRequestError before calling Workers AI without an account id', async () => {
    let called = false;
    const spec = OPENAI_COMPATIBLE_SPECS.get('workers-ai')!;
    const workersAi = createOpenAICompatibleProvider(spec, {
      fetch: async () => {
        called = true;
        return new Response('{}');
      },
    });
    const error = (await failure(workersAi.call(providerRequest({ target: target({ provider: 'workers-ai' }) })))) as BadRequestError;
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain('workers_ai_account_id');
    expect(called).toBe(false);
  });
});
