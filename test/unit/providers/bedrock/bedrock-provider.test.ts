import { BedrockRuntimeClient, type BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GatewayError, UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { createBedrockProvider } from '../../../../shared/src/providers/bedrock/bedrock-provider.ts';
import type { ProviderModel, ProviderRequest, ProviderResponse } from '../../../../shared/src/providers/provider-model.ts';
import { FakeClock } from '../../../support/fake-clock.ts';
import { fixtureText, type MockUpstream, providerRequest, ssePayloads, startMockUpstream, target } from '../../../support/mock-upstream.ts';
import { eventStreamMessage, MOCK_REQUEST_ID, replyBedrockError, replyConverseStream, replyJson } from './bedrock-mock-replies.ts';

const MODEL = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
const CHAT_ID = `chatcmpl-${MOCK_REQUEST_ID}`;
const CREATED = 1_750_000_000;

let upstream: MockUpstream;
let provider: ProviderModel;

beforeAll(async () => {
  upstream = await startMockUpstream();
  provider = createBedrockProvider({
    clock: new FakeClock(CREATED * 1000),
  });
});
afterAll(async () => {
  await upstream.close();
});
beforeEach(() => {
  upstream.reset();
});

function bedrockRequest(body: JsonObject, overrides: Partial<ProviderRequest> = {}): ProviderRequest {
  return providerRequest({
    body,
    stream: body.stream === true,
    target: target({
      provider: 'bedrock',
      apiKey: undefined,
      customHost: upstream.origin,
      options: { aws_region: 'us-east-1', aws_access_key_id: 'AKIDTEST', aws_secret_access_key: 'secret' },
    }),
    ...overrides,
  });
}

async function completeJson(response: ProviderResponse): Promise<unknown> {
  if (response.kind !== 'complete') throw new Error(`expected a complete answer, got ${response.kind}`);
  return JSON.parse(new TextDecoder().decode(response.body));
}

async function streamPayloads(response: ProviderResponse): Promise<string[]> {
  if (response.kind !== 'stream') throw new Error(`expected a stream, got ${response.kind}`);
  return ssePayloads(await new Response(response.body).text());
}

async function callError(request: ProviderRequest): Promise<GatewayError> {
  const error: unknown = await provider.call(request).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('createBedrockProvider', () => {
  it('sends a Converse request signed for bedrock in the target region and maps the answer', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/amazon-bedrock-text.json')));
    const response = await provider.call(
      bedrockRequest({
        model: MODEL,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'How many r in strawberry?' },
        ],
        max_tokens: 100,
        temperature: 0.2,
        top_k: 5,
      }),
    );
    const sent = upstream.requests[0];
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse');
    expect(sent?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request, /);
    expect(JSON.parse(sent?.body.toString() ?? '')).toEqual({
      messages: [{ role: 'user', content: [{ text: 'How many r in strawberry?' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 100, temperature: 0.2 },
      additionalModelRequestFields: { top_k: 5 },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-turnpike-warnings')).toBeNull();
    expect(await completeJson(response)).toEqual({
      id: CHAT_ID,
      object: 'chat.completion',
      created: CREATED,
      model: MODEL,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** "r"s in "strawberry."',
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 22, completion_tokens: 57, total_tokens: 79, prompt_tokens_details: { cached_tokens: 0, cache_creation_tokens: 0 } },
    });
    expect(response.kind === 'complete' && response.usage).toEqual({
      promptTokens: 22,
      completionTokens: 57,
      totalTokens: 79,
      cachedPromptTokens: 0,
      cacheWritePromptTokens: 0,
    });
  });

  it('passes inference profile ids and ARNs through untouched, URL-encoded in the path', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/amazon-bedrock-text.json')));
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0';
    await provider.call(bedrockRequest({ model: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', messages: [{ role: 'user', content: 'Hi' }] }));
    await provider.call(bedrockRequest({ model: arn, messages: [{ role: 'user', content: 'Hi' }] }));
    expect(upstream.requests.map((request) => request.url)).toEqual([
      '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse',
      `/model/${encodeURIComponent(arn)}/converse`,
    ]);
  });

  it('streams ConverseStream events decoded from AWS event-stream framing as OpenAI chunks', async () => {
    upstream.handle(replyConverseStream('bedrock/amazon-bedrock-text.chunks.txt'));
    const response = await provider.call(
      bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }),
    );
    expect(upstream.requests[0]?.url).toBe('/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse-stream');
    expect(JSON.parse(upstream.requests[0]?.body.toString() ?? '')).toEqual({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const payloads = await streamPayloads(response);
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks = payloads.slice(0, -1).map((payload) => JSON.parse(payload) as { id: string; choices: Array<{ delta: { content?: string } }>; usage?: unknown });
    expect(new Set(chunks.map((chunk) => chunk.id))).toEqual(new Set([CHAT_ID]));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe(
      'Let me count the "r"s in "strawberry":\n\ns-t-**r**-a-w-b-e-**r**-**r**-y\n\nThere are **3** r\'s in "strawberry."',
    );
    expect(chunks.at(-1)).toEqual({
      id: CHAT_ID,
      object: 'chat.completion.chunk',
      created: CREATED,
      model: MODEL,
      choices: [],
      usage: { prompt_tokens: 22, completion_tokens: 55, total_tokens: 77 },
    });
    if (response.kind !== 'stream') throw new Error('not a stream');
    expect(await response.outcome).toEqual({ usage: { promptTokens: 22, completionTokens: 55, totalTokens: 77 }, error: undefined });
  });

  it('turns a throttling exception that arrives as the first stream event into a retryable 429 error', async () => {
    upstream.handle(replyConverseStream('bedrock/written/throttling-first.chunks.txt'));
    const error = await callError(bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.toOpenAIError()).toEqual({
      error: { message: 'Too many tokens, please wait before trying again.', type: 'rate_limit_error', code: 'ThrottlingException', param: null },
    });
  });

  it('ends the stream with an SSE error event when Bedrock sends an exception after content', async () => {
    upstream.handle(replyConverseStream('bedrock/written/text-then-model-stream-error.chunks.txt'));
    const response = await provider.call(bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    const payloads = await streamPayloads(response);
    expect(payloads).not.toContain('[DONE]');
    expect(JSON.parse(payloads.at(-1) ?? '')).toEqual({
      error: { message: 'Model stream error: the model stopped responding.', type: 'api_error', code: 'ModelStreamErrorException', param: null },
    });
    if (response.kind !== 'stream') throw new Error('not a stream');
    expect(await response.outcome).toEqual({
      usage: undefined,
      error: { status: 424, message: 'Model stream error: the model stopped responding.' },
    });
  });

  it('drops the upstream connection when the caller cancels the stream', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream', 'x-amzn-requestid': MOCK_REQUEST_ID });
      response.write(eventStreamMessage('{"messageStart":{"role":"assistant"}}'));
      response.write(eventStreamMessage('{"contentBlockDelta":{"contentBlockIndex":0,"delta":{"text":"Hello"}}}'));
      // Never ends: only the cancel can close it.
    });
    const response = await provider.call(bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true }));
    if (response.kind !== 'stream') throw new Error('not a stream');
    const reader = response.body.getReader();
    await reader.read();
    await reader.cancel();
    expect(await upstream.responseClosed(0)).toEqual({ finished: false });
    expect(await response.outcome).toEqual({ usage: undefined, error: { status: 499, message: 'The caller closed the stream before it ended.' } });
  });

  it.each([
    [429, 'ThrottlingException', 'throttling-exception.json', 'rate_limit_error', true],
    [400, 'ValidationException', 'validation-exception.json', 'invalid_request_error', false],
    [403, 'AccessDeniedException', 'access-denied-exception.json', 'permission_error', false],
    [500, 'InternalServerException', 'internal-server-exception.json', 'api_error', true],
    [503, 'ServiceUnavailableException', 'service-unavailable-exception.json', 'api_error', true],
  ])('maps HTTP %i %s to the same status with Bedrock\'s message', async (status, exception, fixture, type, retryable) => {
    const body = fixtureText(`bedrock/written/${fixture}`);
    upstream.handle(replyBedrockError(status, exception, body));
    for (const stream of [false, true]) {
      const error = await callError(bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream }));
      expect(error.status).toBe(status);
      expect(error.retryable).toBe(retryable);
      expect(error.headers).toEqual({ 'x-amzn-requestid': MOCK_REQUEST_ID });
      expect(error.toOpenAIError()).toEqual({ error: { message: (JSON.parse(body) as { message: string }).message, type, code: exception, param: null } });
    }
  });

  it('reports an unreachable endpoint as 502 upstream_unreachable', async () => {
    const closed = await startMockUpstream();
    const origin = closed.origin;
    await closed.close();
    const error = await callError(
      bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }, { target: { ...bedrockRequest({}).target, customHost: origin } }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe('upstream_unreachable');
  });

  it('rethrows the engine abort reason when the request signal aborts', async () => {
    upstream.handle(() => undefined);
    const controller = new AbortController();
    const pending = callError(bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }, { signal: controller.signal }));
    await upstream.requestArrived(0);
    const reason = new GatewayError('timed out', { status: 408, type: 'timeout_error', code: 'request_timeout' });
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('needs a region: a clear 400 when neither the target nor the runtime names one', async () => {
    const request = bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    const error = await callError({ ...request, target: { ...request.target, options: {} } });
    expect(error.status).toBe(400);
    expect(error.code).toBe('missing_aws_region');
    expect(upstream.requests).toHaveLength(0);
  });

  it('reuses one SDK client per region, credentials and endpoint', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/amazon-bedrock-text.json')));
    const created: BedrockRuntimeClientConfig[] = [];
    const fresh = createBedrockProvider({
      clock: new FakeClock(),
      clientFactory: (config) => {
        created.push(config);
        return new BedrockRuntimeClient(config);
      },
    });
    const request = bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    await fresh.call(request);
    await fresh.call(request);
    await fresh.call({ ...request, target: { ...request.target, options: { ...request.target.options, aws_region: 'eu-west-1' } } });
    await fresh.call({ ...request, target: { ...request.target, options: { ...request.target.options, aws_secret_access_key: 'other' } } });
    expect(created.map((config) => config.region)).toEqual(['us-east-1', 'eu-west-1', 'us-east-1']);
    expect(created[1]).toMatchObject({ region: 'eu-west-1', maxAttempts: 1, endpoint: upstream.origin });
    expect(upstream.requests[2]?.headers.authorization).toContain('/eu-west-1/bedrock/aws4_request');
  });

  it('signs with a Bedrock API key as a bearer token when the target has no AWS keys', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/amazon-bedrock-text.json')));
    const request = bedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    await provider.call({ ...request, target: { ...request.target, apiKey: 'ABSKdGVzdC1rZXk=', options: { aws_region: 'us-east-1' } } });
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer ABSKdGVzdC1rZXk=');
  });

  it('embeds with Titan Text Embeddings v2, one InvokeModel call per input', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/written/titan-embed-text-v2.json')));
    const response = await provider.call(
      bedrockRequest({ model: 'amazon.titan-embed-text-v2:0', input: ['hello', 'world'], dimensions: 256 }, { endpoint: 'embeddings', path: '/embeddings' }),
    );
    expect(upstream.requests.map((request) => request.url)).toEqual([
      '/model/amazon.titan-embed-text-v2%3A0/invoke',
      '/model/amazon.titan-embed-text-v2%3A0/invoke',
    ]);
    expect(upstream.requests.map((request) => JSON.parse(request.body.toString()) as unknown).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { inputText: 'hello', dimensions: 256, normalize: true },
      { inputText: 'world', dimensions: 256, normalize: true },
    ]);
    expect(await completeJson(response)).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.125, -0.5, 0.25, 0.75] },
        { object: 'embedding', index: 1, embedding: [0.125, -0.5, 0.25, 0.75] },
      ],
      model: 'amazon.titan-embed-text-v2:0',
      usage: { prompt_tokens: 8, total_tokens: 8 },
    });
  });

  it('embeds with Cohere Embed in one call, usage from the token-count header, base64 on request', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/written/cohere-embed-v3.json'), { 'x-amzn-bedrock-input-token-count': '2' }));
    const response = await provider.call(
      bedrockRequest({ model: 'cohere.embed-english-v3', input: ['hello', 'world'], encoding_format: 'base64' }, { endpoint: 'embeddings', path: '/embeddings' }),
    );
    expect(upstream.requests).toHaveLength(1);
    expect(upstream.requests[0]?.url).toBe('/model/cohere.embed-english-v3/invoke');
    expect(JSON.parse(upstream.requests[0]?.body.toString() ?? '')).toEqual({
      texts: ['hello', 'world'],
      input_type: 'search_document',
      embedding_types: ['float'],
    });
    const answer = (await completeJson(response)) as { data: Array<{ embedding: string }>; usage: unknown };
    const decoded = answer.data.map((item) => Array.from(new Float32Array(new Uint8Array(Buffer.from(item.embedding, 'base64')).buffer)));
    expect(decoded).toEqual([
      [0.5, -0.25, 0.125],
      [-0.75, 0.5, 0.0625],
    ]);
    expect(answer.usage).toEqual({ prompt_tokens: 2, total_tokens: 2 });
  });

  it('refuses endpoints Bedrock has no equivalent for', async () => {
    const error = await callError(bedrockRequest({ model: MODEL, prompt: 'Hi' }, { endpoint: 'completions', path: '/completions' }));
    expect(error.status).toBe(400);
    expect(error.message).toBe('bedrock does not support completions');
  });
});
