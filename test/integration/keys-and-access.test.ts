import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createConsoleRequestLogSink } from '../../shared/src/adapters/node/console-request-log-sink.ts';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import { type AccessRepository, createAccessRepository } from '../../shared/src/keys/access-repository.ts';
import { ACCESS_KINDS } from '../../shared/src/keys/access-records.ts';
import type { RequestRecord } from '../../shared/src/ports/request-log-sink.ts';
import { type LocalStores, openLocalStores } from '../../shared/src/runtime/local-stores.ts';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

/**
 * Keys and access on the real local server (dynalite, in-memory vault): gateway keys scoped to
 * virtual keys, called through the openai SDK, with keys required as on AWS. Records are
 * seeded through the keys module's write helpers, the same code the admin API uses.
 */

const CACHE_TTL_MS = 300;
const MOCK_SECRET = 'sk-mock-SECRET-0123456789';
const OPENAI_SECRET = 'sk-openai-SECRET-9876543210';
const WORKSPACE = 'ws-search';

let local: LocalStores;
let gateway: TestGateway;
let upstream: MockUpstream;
let access: AccessRepository;
const records: RequestRecord[] = [];
/** Every status line, header and body the gateway sent back in this file. */
const responses: string[] = [];
/** Every line written to stdout and stderr, and every console call, while the gateway ran. */
const output: string[] = [];
/** Every gateway key secret minted in this file. */
const gatewaySecrets: string[] = [];

const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const text = await response.clone().text();
  responses.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`);
  return response;
};

async function newKey(input: Partial<Parameters<AccessRepository['createApiKey']>[0]> = {}): Promise<string> {
  const { secret } = await access.createApiKey({ workspaceId: WORKSPACE, name: 'test key', ...input });
  gatewaySecrets.push(secret);
  return secret;
}

function client(apiKey: string, headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({ apiKey, baseURL: gateway.baseURL, maxRetries: 0, fetch: recordingFetch, defaultHeaders: headers });
}

/** The OpenAI SDK's error for a call that should fail. */
async function apiError(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The request record of one trace, once written (it follows the last byte). */
async function recordOf(traceId: string | null): Promise<RequestRecord | undefined> {
  for (let waited = 0; waited < 200 && !records.some((entry) => entry.traceId === traceId); waited++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return records.find((entry) => entry.traceId === traceId);
}

function chat(model = 'mock-model'): OpenAI.ChatCompletionCreateParamsNonStreaming {
  return { model, messages: [{ role: 'user', content: 'Hello there' }] };
}

async function post(headers: Record<string, string>, body: unknown = chat()): Promise<{ status: number; json: { error?: { code: string; message: string } } }> {
  const response = await recordingFetch(`${gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as { error?: { code: string; message: string } } };
}

beforeAll(async () => {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      output.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof stream.write);
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      output.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack ?? ''}` : typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
      original(...args);
    });
  }
  local = await openLocalStores({ TURNPIKE_DATA_DIR: ':memory:' }, systemClock);
  const consoleSink = createConsoleRequestLogSink();
  [gateway, upstream] = await Promise.all([
    startTestGateway(
      { TURNPIKE_REQUIRE_GATEWAY_KEY: 'true', TURNPIKE_AUTH_CACHE_TTL_MS: String(CACHE_TTL_MS) },
      {
        stores: local.stores,
        keyVault: local.keyVault,
        // The records are kept for the assertions and printed as the local server prints them.
        requestLog: {
          write(record) {
            records.push(record);
            consoleSink.write(record);
          },
        },
      },
    ),
    startMockUpstream(),
  ]);
  access = createAccessRepository(local.stores.control, local.keyVault, systemClock, { counters: local.stores.counters });
  await access.createVirtualKey({ id: 'mock-main', workspaceId: WORKSPACE, name: 'Mock', provider: 'mock', secret: MOCK_SECRET, allowedModels: ['mock-*'] });
  await access.createVirtualKey({
    id: 'openai-local',
    workspaceId: WORKSPACE,
    name: 'OpenAI on a local upstream',
    provider: 'openai',
    secret: OPENAI_SECRET,
    options: { custom_host: `${upstream.origin}/v1` },
  });
  await access.createVirtualKey({ id: 'mock-other-workspace', workspaceId: 'ws-other', name: 'Other', provider: 'mock', secret: 'sk-other-SECRET' });
  await access.createVirtualKey({ id: 'mock-disabled', workspaceId: WORKSPACE, name: 'Disabled', provider: 'mock', secret: 'sk-disabled-SECRET' });
  await access.setVirtualKeyStatus('mock-disabled', 'disabled');
  await access.saveConfigVersion('mock-via-virtual-key', { virtual_key: 'mock-main', override_params: { model: 'mock-from-config' } }, WORKSPACE);
});

afterAll(async () => {
  vi.restoreAllMocks();
  await Promise.all([gateway?.close(), upstream?.close()]);
  await local?.close();
});

beforeEach(() => {
  upstream.reset();
});

describe('a gateway key scoped to a virtual key', () => {
  it('calls the mock provider through the openai SDK, the key as its apiKey', async () => {
    const secret = await newKey({
      scopes: { providers: ['mock'], models: ['mock-*'], virtualKeys: ['mock-main'] },
      metadata: { team: 'search', env: 'key' },
    });
    const openai = client(secret, { 'x-portkey-virtual-key': 'mock-main', 'x-portkey-metadata': JSON.stringify({ env: 'request' }) });
    const { data, response } = await openai.chat.completions.create(chat()).withResponse();
    expect(data.choices[0]?.message.content).toContain('Hello there');
    expect(response.headers.get('x-portkey-provider')).toBe('mock');

    const traceId = response.headers.get('x-portkey-trace-id');
    const record = await recordOf(traceId);
    expect(record).toMatchObject({
      status: 200,
      provider: 'mock',
      apiKeyId: expect.stringMatching(/^key_/),
      workspaceId: WORKSPACE,
      virtualKeyId: 'mock-main',
      metadata: { team: 'search', env: 'request' },
    });
    expect(record?.principalArn).toBeUndefined();
  });

  it('streams too', async () => {
    const secret = await newKey({ scopes: { virtualKeys: ['mock-main'] } });
    const stream = await client(secret, { 'x-portkey-virtual-key': 'mock-main' }).chat.completions.create({ ...chat(), stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain('Hello there');
  });

  it('sends the vault secret to the provider, and to nobody else', async () => {
    upstream.handle((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }] }),
      ),
    );
    const secret = await newKey({ scopes: { providers: ['openai'], virtualKeys: ['openai-local'] } });
    const data = await client(secret, { 'x-portkey-virtual-key': 'openai-local' }).chat.completions.create(chat('gpt-4o-mini'));
    expect(data.choices[0]?.message.content).toBe('hi');
    expect(upstream.requests[0]?.headers.authorization).toBe(`Bearer ${OPENAI_SECRET}`);
    expect(JSON.stringify(upstream.requests[0]?.headers)).not.toContain(secret);
  });

  it('resolves virtual_key inside a saved config, used as the key default config', async () => {
    const secret = await newKey({ defaultConfig: 'mock-via-virtual-key', scopes: { virtualKeys: ['mock-main'] } });
    const { data } = await client(secret).chat.completions.create(chat()).withResponse();
    expect(data.model).toBe('mock-from-config');
  });

  it('resolves virtual_key inside an inline config', async () => {
    const secret = await newKey({ scopes: { virtualKeys: ['mock-main'] } });
    const { status } = await post({ authorization: `Bearer ${secret}`, 'x-portkey-config': JSON.stringify({ virtual_key: 'mock-main' }) });
    expect(status).toBe(200);
  });
});

describe('scopes', () => {
  it('refuses a model outside the models scope with 403 naming it', async () => {
    const secret = await newKey({ scopes: { models: ['mock-small'] } });
    const error = await apiError(client(secret, { 'x-portkey-provider': 'mock' }).chat.completions.create(chat('mock-large')));
    expect(error.status).toBe(403);
    expect(error.code).toBe('scope_denied');
    expect(error.message).toContain('This key may not use model "mock-large": it is not in the key\'s models scope.');
  });

  it('refuses a provider outside the providers scope', async () => {
    const secret = await newKey({ scopes: { providers: ['openai'] } });
    const error = await apiError(client(secret, { 'x-portkey-provider': 'mock' }).chat.completions.create(chat()));
    expect([error.status, error.code]).toEqual([403, 'scope_denied']);
    expect(error.message).toContain('provider "mock"');
    expect(error.message).toContain('providers scope');
  });

  it('refuses a virtual key outside the virtual_keys scope', async () => {
    const secret = await newKey({ scopes: { virtualKeys: ['openai-local'] } });
    const error = await apiError(client(secret, { 'x-portkey-virtual-key': 'mock-main' }).chat.completions.create(chat()));
    expect([error.status, error.code]).toEqual([403, 'scope_denied']);
    expect(error.message).toContain('virtual key "mock-main"');
    expect(error.message).toContain('virtual_keys scope');
  });

  it('refuses a saved config outside the configs scope', async () => {
    const secret = await newKey({ scopes: { configs: ['something-else'] } });
    const { status, json } = await post({ authorization: `Bearer ${secret}`, 'x-portkey-config': 'mock-via-virtual-key' });
    expect(status).toBe(403);
    expect(json.error).toMatchObject({ code: 'scope_denied' });
    expect(json.error?.message).toContain('configs scope');
  });

  it("enforces the virtual key's allowed models", async () => {
    const secret = await newKey();
    const error = await apiError(client(secret, { 'x-portkey-virtual-key': 'mock-main' }).chat.completions.create(chat('gpt-4o')));
    expect([error.status, error.code]).toEqual([403, 'model_not_allowed']);
  });

  it("treats another workspace's virtual key as absent, and refuses a disabled one", async () => {
    const secret = await newKey();
    const absent = await apiError(client(secret, { 'x-portkey-virtual-key': 'mock-other-workspace' }).chat.completions.create(chat()));
    expect([absent.status, absent.code]).toEqual([401, 'virtual_key_not_found']);
    const missing = await apiError(client(secret, { 'x-portkey-virtual-key': 'no-such-key' }).chat.completions.create(chat()));
    expect([missing.status, missing.code]).toEqual([401, 'virtual_key_not_found']);
    const disabled = await apiError(client(secret, { 'x-portkey-virtual-key': 'mock-disabled' }).chat.completions.create(chat()));
    expect([disabled.status, disabled.code]).toEqual([403, 'virtual_key_disabled']);
  });

  it('refuses to send a virtual key secret to a custom_host from the request', async () => {
    const secret = await newKey();
    const { status, json } = await post({
      authorization: `Bearer ${secret}`,
      'x-portkey-virtual-key': 'openai-local',
      'x-portkey-custom-host': `${upstream.origin}/v1`,
    }, chat('gpt-4o-mini'));
    expect(status).toBe(400);
    expect(json.error?.code).toBe('custom_host_with_virtual_key');
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('key lifecycle', () => {
  it('answers 401 missing_api_key without a key, and 401 invalid_api_key for an unknown one, never echoing it', async () => {
    const none = await post({ 'x-portkey-provider': 'mock' });
    expect(none.status).toBe(401);
    expect(none.json.error?.code).toBe('missing_api_key');
    const unknown = `tpk_${'Z'.repeat(43)}`;
    const error = await apiError(client(unknown, { 'x-portkey-provider': 'mock' }).chat.completions.create(chat()));
    expect([error.status, error.code]).toEqual([401, 'invalid_api_key']);
    expect(error.message).not.toContain(unknown);
    // A provider key in the Bearer slot is not a gateway key.
    const providerKey = await post({ authorization: 'Bearer sk-live-provider', 'x-portkey-provider': 'mock' });
    expect(providerKey.json.error?.code).toBe('missing_api_key');
  });

  it('answers 401 expired_api_key once a key has expired', async () => {
    const secret = await newKey({ expiresAt: Date.now() - 1 });
    const error = await apiError(client(secret, { 'x-portkey-provider': 'mock' }).chat.completions.create(chat()));
    expect([error.status, error.code]).toEqual([401, 'expired_api_key']);
  });

  it('answers 401 for a revoked key within the cache bound on a warm gateway', async () => {
    const { record, secret } = await access.createApiKey({ workspaceId: WORKSPACE, name: 'to revoke' });
    gatewaySecrets.push(secret);
    const openai = client(secret, { 'x-portkey-provider': 'mock' });
    await openai.chat.completions.create(chat());
    await access.revokeApiKey(record.id);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < CACHE_TTL_MS * 10) {
      status = (await post({ authorization: `Bearer ${secret}`, 'x-portkey-provider': 'mock' })).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
    // The cache keeps an answer at most CACHE_TTL_MS; the rest is one request's round trip.
    expect(Date.now() - revokedAt).toBeLessThan(CACHE_TTL_MS + 500);
  });

  it('stops the old secret of a rotated key within the cache bound and accepts the new one', async () => {
    const { record, secret } = await access.createApiKey({ workspaceId: WORKSPACE, name: 'to rotate' });
    gatewaySecrets.push(secret);
    expect((await post({ authorization: `Bearer ${secret}`, 'x-portkey-provider': 'mock' })).status).toBe(200);
    const rotated = await access.rotateApiKey(record.id);
    gatewaySecrets.push(rotated?.secret ?? '');
    await new Promise((resolve) => setTimeout(resolve, CACHE_TTL_MS + 10));
    expect((await post({ authorization: `Bearer ${secret}`, 'x-portkey-provider': 'mock' })).status).toBe(401);
    expect((await post({ 'x-portkey-api-key': rotated?.secret ?? '', 'x-portkey-provider': 'mock' })).status).toBe(200);
  });
});

describe('secrets', () => {
  it('never appear in a response, a request record, a log line or any control item', async () => {
    // Let the last records reach stdout.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const secrets = [MOCK_SECRET, OPENAI_SECRET, 'sk-other-SECRET', 'sk-disabled-SECRET', ...gatewaySecrets];
    expect(gatewaySecrets.length).toBeGreaterThan(5);
    expect(responses.length).toBeGreaterThan(10);
    expect(records.length).toBeGreaterThan(10);
    expect(output.join('\n')).toContain('"message":"request"');

    const control: string[] = [];
    for (const kind of Object.values(ACCESS_KINDS)) {
      let cursor: string | undefined;
      do {
        const page = await local.stores.control.list(kind, { limit: 1000, cursor });
        control.push(...page.items.map((item) => JSON.stringify(item)));
        cursor = page.cursor;
      } while (cursor !== undefined);
    }
    expect(control.length).toBeGreaterThan(10);

    const places = { responses: responses.join('\n'), records: JSON.stringify(records), output: output.join('\n'), control: control.join('\n') };
    for (const secret of secrets) {
      for (const [place, text] of Object.entries(places)) {
        expect(text.includes(secret), `${place} holds a secret`).toBe(false);
      }
    }
  });
});
