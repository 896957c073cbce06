import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureChunks, fixtureText, type MockUpstream, sseFrames, startMockUpstream } from '../support/mock-upstream.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

let gateway: TestGateway;
let primary: MockUpstream;
let secondary: MockUpstream;

beforeAll(async () => {
  [gateway, primary, secondary] = await Promise.all([startTestGateway(), startMockUpstream(), startMockUpstream()]);
});
afterAll(async () => {
  await Promise.all([gateway.close(), primary.close(), secondary.close()]);
});
beforeEach(() => {
  primary.reset();
  secondary.reset();
  gateway.records.length = 0;
});

const completion = fixtureText('openai/openai-text.json');

describe('the portkey-ai SDK through the gateway', () => {
  it('sends provider, key, trace id and metadata the Portkey way', async () => {
    primary.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(completion));
    const portkey = new Portkey({
      baseURL: gateway.baseURL,
      apiKey: 'pk-ignored-locally',
      provider: 'openai',
      Authorization: 'Bearer sk-portkey-user',
      customHost: `${primary.origin}/v1`,
      traceID: 'portkey-trace-7',
      metadata: { team: 'search', _user: 'u-1' },
    });
    const answer = await portkey.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.choices[0]?.message?.content).toBe((JSON.parse(completion) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content);
    expect(primary.requests[0]?.headers.authorization).toBe('Bearer sk-portkey-user');
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ traceId: 'portkey-trace-7', metadata: { team: 'search', _user: 'u-1' }, provider: 'openai' });
  });

  it('routes with a Config object: fallback from a failing target', async () => {
    primary.handle((_request, response) => response.writeHead(500, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}'));
    secondary.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(completion));
    const portkey = new Portkey({
      baseURL: gateway.baseURL,
      apiKey: 'pk-ignored-locally',
      config: {
        strategy: { mode: 'fallback' },
        targets: [
          { provider: 'openai', api_key: 'sk-a', custom_host: `${primary.origin}/v1` },
          { provider: 'openai', api_key: 'sk-b', custom_host: `${secondary.origin}/v1`, override_params: { model: 'gpt-4o-mini' } },
        ],
      },
    });
    const answer = await portkey.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }] });
    expect(answer.id).toBeTruthy();
    expect(JSON.parse(secondary.requests[0]?.body.toString() ?? '{}')).toMatchObject({ model: 'gpt-4o-mini' });
    const [record] = await gateway.waitForRecords(1);
    expect(record?.lastUsedOptionIndex).toBe('config.targets[1]');
  });

  it('streams', async () => {
    const chunks = fixtureChunks('openai/openai-text.chunks.txt');
    primary.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseFrames(chunks));
    });
    const portkey = new Portkey({
      baseURL: gateway.baseURL,
      apiKey: 'pk-ignored-locally',
      provider: 'openai',
      Authorization: 'Bearer sk-portkey-user',
      customHost: `${primary.origin}/v1`,
    });
    const stream = await portkey.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text.length).toBeGreaterThan(20);
  });

  it('creates embeddings', async () => {
    primary.handle((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [1, 0] }], model: 'e', usage: { prompt_tokens: 1, total_tokens: 1 } })),
    );
    const portkey = new Portkey({ baseURL: gateway.baseURL, apiKey: 'pk', provider: 'openai', Authorization: 'Bearer sk-u', customHost: `${primary.origin}/v1` });
    const result = await portkey.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    expect(result.data?.[0]?.embedding).toEqual([1, 0]);
  });
});
