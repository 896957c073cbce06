import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  // Zero configuration: local mode routes to the mock provider when a request names none.
  gateway = await startTestGateway();
  client = new OpenAI({ apiKey: 'not-needed', baseURL: gateway.baseURL, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
});

const hello = { model: 'mock-model', messages: [{ role: 'user' as const, content: 'Hello there' }] };

describe('the mock provider through the gateway, with no configuration', () => {
  it('answers deterministically, streamed or not, with the same text', async () => {
    const first = await client.chat.completions.create(hello);
    const second = await client.chat.completions.create(hello);
    // `created` is the clock's second, which two calls may straddle; everything else repeats.
    expect({ ...first, created: 0 }).toEqual({ ...second, created: 0 });
    const text = first.choices[0]?.message.content ?? '';
    expect(text).toContain('Hello there');

    let streamed = '';
    for await (const chunk of await client.chat.completions.create({ ...hello, stream: true })) streamed += chunk.choices[0]?.delta?.content ?? '';
    expect(streamed).toBe(text);
  });

  it('serves every endpoint', async () => {
    const embedding = await client.embeddings.create({ model: 'mock-embedding', input: ['a', 'b'] });
    expect(embedding.data).toHaveLength(2);
    const image = await client.images.generate({ model: 'mock-image', prompt: 'a turnpike', response_format: 'b64_json' });
    expect(Buffer.from(image.data?.[0]?.b64_json ?? '', 'base64').subarray(1, 4).toString()).toBe('PNG');
    const speech = await client.audio.speech.create({ model: 'mock-tts', voice: 'alloy', input: 'hello', response_format: 'wav' });
    expect(Buffer.from(await speech.arrayBuffer()).subarray(0, 4).toString()).toBe('RIFF');
    const completion = await client.completions.create({ model: 'mock-model', prompt: 'Say hi' });
    expect(completion.choices[0]?.text.length).toBeGreaterThan(0);
    const models = await client.models.list();
    expect(models.data.map((model) => model.id)).toContain('mock-model');
  });

  it('injects a fault chosen by metadata and retries past it', async () => {
    const { response } = await client.chat.completions
      .create(hello, {
        headers: {
          'x-portkey-metadata': JSON.stringify({ mock_status: '503', mock_fail_attempts: '2' }),
          'x-portkey-config': JSON.stringify({ retry: { attempts: 2 } }),
        },
      })
      .withResponse();
    expect(response.headers.get('x-portkey-retry-attempt-count')).toBe('2');
  });

  it('dry-runs a fallback config: an injected 429 moves to the next target', async () => {
    const config = {
      strategy: { mode: 'fallback' },
      targets: [
        { provider: 'mock', override_params: { mock: { status: 429, retry_after: 1 } } },
        { provider: 'mock', override_params: { model: 'mock-backup' } },
      ],
    };
    const { data, response } = await client.chat.completions.create(hello, { headers: { 'x-portkey-config': JSON.stringify(config) } }).withResponse();
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    expect(data.model).toBe('mock-backup');
  });

  it('times out a hanging target with 408', async () => {
    const failure = await client.chat.completions
      .create(hello, { headers: { 'x-portkey-request-timeout': '50', 'x-portkey-metadata': JSON.stringify({ mock_timeout: 'true' }) } })
      .catch((error: unknown) => error);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(408);
  });

  it('a stream cut after two chunks reaches the SDK as an error', async () => {
    const stream = await client.chat.completions.create({ ...hello, stream: true }, { headers: { 'x-portkey-metadata': JSON.stringify({ mock_cut_after: '2' }) } });
    let chunks = 0;
    const failure = await (async () => {
      for await (const _chunk of stream) chunks++;
    })().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(chunks).toBeGreaterThanOrEqual(2);
  });

  it('a malformed upstream body becomes a 502', async () => {
    const failure = await client.chat.completions
      .create(hello, { headers: { 'x-portkey-metadata': JSON.stringify({ mock_malformed: 'true' }) } })
      .catch((error: unknown) => error);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it('refuses a bad fault option with a 400 naming it', async () => {
    const failure = await client.chat.completions
      .create({ ...hello, mock: { status: 'soon' } } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((error: unknown) => error);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('mock.status');
  });
});
