import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { GatewayConfig } from '../../shared/src/protocol/config-schema.ts';
import { fixtureText, type MockUpstream, startMockUpstream } from '../support/mock-upstream.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

let gateway: TestGateway;
let primary: MockUpstream;
let secondary: MockUpstream;

const completion = fixtureText('openai/openai-text.json');
const ok = (upstream: MockUpstream): void =>
  upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(completion));
const fail = (upstream: MockUpstream, status: number, headers: Record<string, string> = {}): void =>
  upstream.handle((_request, response) =>
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ error: { message: `primary says ${status}`, type: 'server_error', code: null, param: null } })),
  );

beforeAll(async () => {
  [gateway, primary, secondary] = await Promise.all([startTestGateway(), startMockUpstream(), startMockUpstream()]);
});
afterAll(async () => {
  await Promise.all([gateway.close(), primary.close(), secondary.close()]);
});
beforeEach(() => {
  primary.reset();
  secondary.reset();
});

function target(upstream: MockUpstream, extra: Partial<GatewayConfig> = {}): GatewayConfig {
  return { provider: 'openai', api_key: 'sk-config', custom_host: `${upstream.origin}/v1`, ...extra };
}

function clientWith(config: GatewayConfig | string, headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({
    apiKey: 'unused',
    baseURL: gateway.baseURL,
    maxRetries: 0,
    defaultHeaders: { 'x-portkey-config': typeof config === 'string' ? config : JSON.stringify(config), ...headers },
  });
}

const ask = (client: OpenAI) =>
  client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }] }).withResponse();

describe('fallback', () => {
  it.each([429, 500, 503])('falls back to the second target on %i', async (status) => {
    fail(primary, status);
    ok(secondary);
    const { response } = await ask(clientWith({ strategy: { mode: 'fallback' }, targets: [target(primary), target(secondary)] }));
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    expect(primary.requests).toHaveLength(1);
    expect(secondary.requests).toHaveLength(1);
    expect(secondary.requests[0]?.headers.authorization).toBe('Bearer sk-config');
  });

  it('falls back when the first target times out, and the slow upstream sees the abort', async () => {
    primary.handle(() => undefined);
    ok(secondary);
    const { response } = await ask(clientWith({ strategy: { mode: 'fallback' }, targets: [target(primary, { request_timeout: 150 }), target(secondary)] }));
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    await expect(primary.responseClosed(0)).resolves.toEqual({ finished: false });
  });

  it('answers 408 when the only target times out', async () => {
    primary.handle(() => undefined);
    const error = await ask(clientWith(target(primary), { 'x-portkey-request-timeout': '100' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(408);
    expect((error as InstanceType<typeof OpenAI.APIError>).code).toBe('request_timeout');
  });

  it('does not fall back on a status outside on_status_codes, and keeps the provider error', async () => {
    fail(primary, 400);
    ok(secondary);
    const error = await ask(clientWith({ strategy: { mode: 'fallback', on_status_codes: [429, 503] }, targets: [target(primary), target(secondary)] })).catch(
      (caught: unknown) => caught,
    );
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((error as InstanceType<typeof OpenAI.APIError>).message).toContain('primary says 400');
    expect(secondary.requests).toHaveLength(0);
  });
});

describe('retry', () => {
  it('retries a 429 after the Retry-After the provider sent and reports the attempt count', async () => {
    let calls = 0;
    primary.handle((_request, response) => {
      calls++;
      if (calls < 3) {
        response.writeHead(429, { 'content-type': 'application/json', 'retry-after-ms': '120' }).end('{"error":{"message":"slow down","type":"rate_limit"}}');
      } else {
        response.writeHead(200, { 'content-type': 'application/json' }).end(completion);
      }
    });
    const started = performance.now();
    const { response } = await ask(clientWith(target(primary, { retry: { attempts: 3, use_retry_after_header: true } })));
    const elapsed = performance.now() - started;
    expect(response.headers.get('x-portkey-retry-attempt-count')).toBe('2');
    expect(primary.requests).toHaveLength(3);
    // Two waits of the requested 120 ms (a lower bound, not a timing assertion on speed).
    expect(elapsed).toBeGreaterThanOrEqual(230);
  });

  it('retries then falls back when retries are exhausted', async () => {
    fail(primary, 503);
    ok(secondary);
    const { response } = await ask(
      clientWith({ retry: { attempts: 2 }, strategy: { mode: 'fallback' }, targets: [target(primary), target(secondary)] }),
    );
    expect(primary.requests).toHaveLength(3);
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    expect(response.headers.get('x-portkey-retry-attempt-count')).toBe('0');
  });

  it('does not retry a 400', async () => {
    fail(primary, 400);
    await ask(clientWith(target(primary, { retry: { attempts: 3 } }))).catch(() => undefined);
    expect(primary.requests).toHaveLength(1);
  });
});

describe('loadbalance', () => {
  it('spreads requests by weight', async () => {
    ok(primary);
    ok(secondary);
    const client = clientWith({ strategy: { mode: 'loadbalance' }, targets: [target(primary, { weight: 0.8 }), target(secondary, { weight: 0.2 })] });
    const total = 300;
    for (let batch = 0; batch < total / 30; batch++) await Promise.all(Array.from({ length: 30 }, () => ask(client)));
    const share = primary.requests.length / total;
    // Binomial(300, 0.8): standard deviation ≈ 0.023, so ±0.1 is over four sigmas.
    expect(primary.requests.length + secondary.requests.length).toBe(total);
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.9);
  });
});

describe('conditional routing', () => {
  it('routes on metadata and params, else to the default', async () => {
    ok(primary);
    ok(secondary);
    const routed: GatewayConfig = {
      strategy: {
        mode: 'conditional',
        conditions: [
          { query: { $and: [{ 'metadata.plan': { $eq: 'paid' } }, { 'params.model': { $regex: '^gpt-4' } }] }, then: 'premium' },
          { query: { 'url.pathname': { $eq: '/v1/embeddings' } }, then: 'premium' },
        ],
        default: 'free',
      },
      targets: [
        { name: 'free', ...target(primary) },
        { name: 'premium', ...target(secondary) },
      ],
    };
    const paid = await ask(clientWith(routed, { 'x-portkey-metadata': JSON.stringify({ plan: 'paid' }) }));
    expect(paid.response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    const free = await ask(clientWith(routed, { 'x-portkey-metadata': JSON.stringify({ plan: 'free' }) }));
    expect(free.response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[0]');
    expect(secondary.requests).toHaveLength(1);
    expect(primary.requests).toHaveLength(1);
  });
});

describe('override_params and forward_headers', () => {
  it('applies override_params and forwards only the named headers', async () => {
    ok(primary);
    await ask(
      clientWith(target(primary, { override_params: { model: 'gpt-4o-mini', temperature: 0 }, forward_headers: ['x-team'] }), {
        'x-team': 'search',
        'x-other': 'secret',
      }),
    );
    const sent = primary.requests[0];
    expect(JSON.parse(sent?.body.toString() ?? '')).toMatchObject({ model: 'gpt-4o-mini', temperature: 0 });
    expect(sent?.headers['x-team']).toBe('search');
    expect(sent?.headers['x-other']).toBeUndefined();
  });
});
