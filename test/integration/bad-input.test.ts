import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({ TURNPIKE_MAX_BODY_BYTES: String(64 * 1024), TURNPIKE_ALLOWED_HOSTS: '' });
});
afterAll(async () => {
  await gateway.close();
});

interface ErrorBody {
  error: { message: string; type: string; code: string | null; param: string | null };
}

async function post(path: string, body: string | Uint8Array, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text) as ErrorBody };
}

const chat = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });

describe('bad input gets a clear OpenAI-shaped 4xx and the gateway keeps serving', () => {
  it.each([
    ['malformed JSON', '/v1/chat/completions', '{"model": "gpt-4o", "messages": [', {}, 400, 'invalid_json'],
    ['an empty body', '/v1/chat/completions', '', {}, 400, 'invalid_json'],
    ['a JSON array body', '/v1/chat/completions', '[1,2]', {}, 400, 'invalid_json'],
    ['stream of the wrong type', '/v1/chat/completions', JSON.stringify({ model: 'm', messages: [], stream: 'yes' }), {}, 400, 'invalid_type'],
    ['an unknown provider', '/v1/chat/completions', chat, { 'x-portkey-provider': 'no-such-ai' }, 400, 'unknown_provider'],
    ['no provider credentials', '/v1/chat/completions', chat, { 'x-portkey-provider': 'openai' }, 401, 'missing_provider_credentials'],
    ['an unknown virtual key', '/v1/chat/completions', chat, { 'x-portkey-provider': 'openai', 'x-portkey-virtual-key': 'vk-missing' }, 401, 'virtual_key_not_found'],
    ['an invalid config', '/v1/chat/completions', chat, { 'x-portkey-config': '{"retry":{"attempts":"three"}}' }, 400, 'invalid_config'],
    ['a config that is not JSON', '/v1/chat/completions', chat, { 'x-portkey-config': '{not json' }, 400, 'invalid_config'],
    ['an unknown saved config id', '/v1/chat/completions', chat, { 'x-portkey-config': 'pc-missing' }, 400, 'invalid_config'],
    ['bad metadata', '/v1/chat/completions', chat, { 'x-portkey-metadata': '[1]' }, 400, 'invalid_metadata'],
    ['a bad request timeout', '/v1/chat/completions', chat, { 'x-portkey-request-timeout': 'soon' }, 400, 'invalid_request_timeout'],
    ['a custom host on the metadata address', '/v1/chat/completions', chat, { 'x-portkey-provider': 'openai', authorization: 'Bearer sk-x', 'x-portkey-custom-host': 'http://169.254.169.254/latest' }, 403, 'host_not_allowed'],
    ['a custom host on loopback when not allow-listed', '/v1/chat/completions', chat, { 'x-portkey-provider': 'openai', authorization: 'Bearer sk-x', 'x-portkey-custom-host': 'http://127.0.0.1:1/v1' }, 403, 'host_not_allowed'],
    ['a custom host in a private range', '/v1/chat/completions', chat, { 'x-portkey-config': JSON.stringify({ provider: 'openai', api_key: 'sk', custom_host: 'http://10.1.2.3/v1' }) }, 403, 'host_not_allowed'],
  ])('%s', async (_name, path, body, headers, status, code) => {
    const response = await post(path, body, headers);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message.length).toBeGreaterThan(10);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-portkey-trace-id')).toBeTruthy();
  });

  it('names the path of the bad field of an invalid config', async () => {
    const config = { strategy: { mode: 'fallback' }, targets: [{ provider: 'openai' }, { provider: 'groq', retry: { attempts: 'x' } }] };
    const response = await post('/v1/chat/completions', chat, { 'x-portkey-config': JSON.stringify(config) });
    expect(response.status).toBe(400);
    expect(response.body.error.message).toContain('targets[1].retry.attempts');
    expect(response.body.error.param).toBe('config.targets[1].retry.attempts');
  });

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] });
    const response = await post('/v1/chat/completions', big);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('request_too_large');
  });

  it('answers 404 for unknown routes and 405 for wrong methods', async () => {
    const missing = await fetch(`${gateway.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as ErrorBody).error.type).toBe('not_found_error');
    const wrongMethod = await fetch(`${gateway.url}/v1/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
  });

  it('still serves after all of the above', async () => {
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const answer = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', body: chat, headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(200);
  });

  it('keeps the trace id the caller sent', async () => {
    const response = await post('/v1/chat/completions', '{', { 'x-portkey-trace-id': 'my-trace-1' });
    expect(response.headers.get('x-portkey-trace-id')).toBe('my-trace-1');
  });
});
