import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FunctionUrlEvent } from '../../shared/src/http/function-url-event.ts';
import { type LocalGateway, startLocalGateway } from '../../local/start-local-gateway.ts';
import { type TestDynamo, startTestDynamo } from '../support/start-test-dynamo.ts';

/**
 * The admin API as `npm start` serves it (a second function URL emulator beside the gateway, on
 * the gateway's database), driven with fetch; then the deployed admin handler module on the
 * AWS composition root, invoked with an IAM-signed function URL event.
 */

const ADMIN_TOKEN = 'integration-admin-token-0123456789';
const VIRTUAL_KEY_SECRETS = ['sk-virtual-key-secret-first', 'sk-virtual-key-secret-rotated'];

interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

let local: LocalGateway;
/** Every admin response body, with the gateway key secret it was allowed to show (create/rotate). */
const responses: { text: string; shows?: string }[] = [];

async function admin(method: string, path: string, body?: unknown, token: string | null = ADMIN_TOKEN): Promise<Answer> {
  const response = await fetch(`${local.adminUrl}${path}`, {
    method,
    headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const answer = { status: response.status, body: text === '' ? undefined : JSON.parse(text), text };
  responses.push({ text, shows: typeof answer.body?.secret === 'string' ? answer.body.secret : undefined });
  return answer;
}

async function chat(headers: Record<string, string>): Promise<Response> {
  return fetch(`${local.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'hi' }] }),
  });
}

async function readAll(path: string, limit: number): Promise<{ items: Answer['body'][]; pages: number }> {
  const items: Answer['body'][] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await admin('GET', `${path}${separator}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
    expect(page.status).toBe(200);
    expect(page.body.data.length).toBeLessThanOrEqual(limit);
    items.push(...page.body.data);
    cursor = page.body.next_cursor;
    pages += 1;
  } while (cursor !== null);
  return { items, pages };
}

beforeAll(async () => {
  local = await startLocalGateway({
    environment: {
      TURNPIKE_DATA_DIR: ':memory:',
      TURNPIKE_CONFIG_FILE: '',
      TURNPIKE_LOG_REQUESTS: 'false',
      TURNPIKE_ADMIN_TOKEN: ADMIN_TOKEN,
      // Admin changes reach the gateway at once instead of within the auth cache's bound.
      TURNPIKE_AUTH_CACHE_TTL_MS: '0',
    },
  });
});
afterAll(() => local.close());

describe('the local admin API', () => {
  it('serves /health openly and everything else only with the admin token', async () => {
    expect(local.adminUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(local.generatedAdminToken).toBeUndefined();
    expect((await admin('GET', '/health', undefined, null)).body).toEqual({ status: 'ok', version: expect.any(String) });
    const missing = await admin('GET', '/v1/workspaces', undefined, null);
    expect(missing.status).toBe(401);
    expect(missing.body.error).toMatchObject({ type: 'authentication_error', code: 'missing_admin_token' });
    expect((await admin('POST', '/v1/workspaces', { id: 'x', name: 'x' }, 'wrong-token')).status).toBe(401);
    expect((await admin('GET', '/v1/audit')).body.data).toEqual([]);
  });

  it('exercises every endpoint, audits every change, and never shows a stored secret', async () => {
    let changes = 0;
    const change = async (method: string, path: string, body: unknown, status: number): Promise<Answer> => {
      const answer = await admin(method, path, body);
      expect(answer.status, `${method} ${path}: ${answer.text}`).toBe(status);
      changes += 1;
      return answer;
    };

    // Workspaces: 7 of them, read back 3 at a time.
    for (let index = 0; index < 7; index++) await change('POST', '/v1/workspaces', { id: `ws-${index}`, name: `Workspace ${index}` }, 201);
    const workspaces = await readAll('/v1/workspaces', 3);
    expect(workspaces.items.map((workspace: { id: string }) => workspace.id)).toEqual(['ws-0', 'ws-1', 'ws-2', 'ws-3', 'ws-4', 'ws-5', 'ws-6']);
    expect(workspaces.pages).toBe(3);
    expect((await admin('GET', '/v1/workspaces/ws-0')).body.name).toBe('Workspace 0');
    await change('PATCH', '/v1/workspaces/ws-0', { metadata: { owner: 'platform' } }, 200);
    await change('DELETE', '/v1/workspaces/ws-6', undefined, 204);

    // Gateway keys: the secret once, then never again.
    const key = (await change('POST', '/v1/keys', { workspace_id: 'ws-0', name: 'CI', scopes: { models: ['mock-*'] } }, 201)).body;
    expect(key.secret).toMatch(/^tpk_/);
    const keys = await readAll('/v1/keys?workspace_id=ws-0', 3);
    expect(keys.items).toHaveLength(1);
    expect(keys.items[0]).not.toHaveProperty('secret');
    expect((await admin('GET', `/v1/keys/${key.id}`)).body.display_prefix).toBe(key.secret.slice(0, 8));
    await change('PATCH', `/v1/keys/${key.id}`, { name: 'CI pipeline' }, 200);
    const rotated = (await change('POST', `/v1/keys/${key.id}/rotate`, undefined, 200)).body;
    expect(rotated.secret).not.toBe(key.secret);

    // Virtual keys: the secret goes in, never comes out.
    await change('POST', '/v1/virtual-keys', { id: 'openai-prod', workspace_id: 'ws-0', name: 'OpenAI', provider: 'openai', secret: VIRTUAL_KEY_SECRETS[0] }, 201);
    expect((await admin('GET', '/v1/virtual-keys?workspace_id=ws-0')).body.data).toHaveLength(1);
    expect((await admin('GET', '/v1/virtual-keys/openai-prod')).body.status).toBe('active');
    await change('POST', '/v1/virtual-keys/openai-prod/rotate', { secret: VIRTUAL_KEY_SECRETS[1] }, 200);
    await change('PATCH', '/v1/virtual-keys/openai-prod', { allowed_models: ['gpt-4o-mini'] }, 200);
    await change('POST', '/v1/virtual-keys/openai-prod/disable', undefined, 200);
    await change('POST', '/v1/virtual-keys/openai-prod/enable', undefined, 200);

    // Principals.
    await change('POST', '/v1/principals', { id: 'svc', workspace_id: 'ws-1', name: 'svc', arn_pattern: 'arn:aws:iam::123456789012:role/svc-*' }, 201);
    expect((await admin('GET', '/v1/principals')).body.data).toHaveLength(1);
    expect((await admin('GET', '/v1/principals/svc')).body.arn_pattern).toBe('arn:aws:iam::123456789012:role/svc-*');
    await change('PATCH', '/v1/principals/svc', { scopes: { providers: ['bedrock'] } }, 200);
    await change('DELETE', '/v1/principals/svc', undefined, 204);

    // Saved configs with versions and a rollback.
    await change('PUT', '/v1/configs/prod', { config: { virtual_key: 'openai-prod' }, workspace_id: 'ws-0' }, 201);
    await change('PUT', '/v1/configs/prod', { config: { provider: 'mock' } }, 200);
    expect((await admin('GET', '/v1/configs')).body.data).toHaveLength(1);
    expect((await admin('GET', '/v1/configs/prod?version=1')).body.config).toEqual({ virtual_key: 'openai-prod' });
    expect((await admin('GET', '/v1/configs/prod/versions')).body.data).toHaveLength(2);
    expect((await change('POST', '/v1/configs/prod/rollback', { version: 1 }, 200)).body.current_version).toBe(1);
    await change('PUT', '/v1/configs/scratch', { config: {} }, 201);
    await change('DELETE', '/v1/configs/scratch', undefined, 204);

    // Deletes that leave workspace ws-0 free again.
    await change('POST', `/v1/keys/${key.id}/revoke`, undefined, 200);
    expect((await admin('DELETE', '/v1/workspaces/ws-0')).status).toBe(409);
    await change('DELETE', '/v1/virtual-keys/openai-prod', undefined, 204);

    // One audit record per change, newest first, all by the local admin.
    const audit = await readAll('/v1/audit', 3);
    expect(audit.items).toHaveLength(changes);
    expect(new Set(audit.items.map((record: { actor: string }) => record.actor))).toEqual(new Set(['local-admin']));
    expect(audit.items[0]).toMatchObject({ action: 'delete', resource_kind: 'virtual-key', resource_id: 'openai-prod' });
    expect(audit.items.at(-1)).toMatchObject({ action: 'create', resource_kind: 'workspace', resource_id: 'ws-0' });
    const times = audit.items.map((record: { at: string }) => Date.parse(record.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    // No stored secret anywhere: a gateway key only in the one answer that issued it.
    const auditText = JSON.stringify(audit.items);
    for (const secret of [...VIRTUAL_KEY_SECRETS, key.secret, rotated.secret]) {
      expect(auditText).not.toContain(secret);
      for (const response of responses) if (response.shows !== secret) expect(response.text).not.toContain(secret);
    }
    expect(responses.filter((response) => response.shows !== undefined)).toHaveLength(2);
  });

  it('issues keys that authenticate gateway requests until they are rotated or revoked', async () => {
    await admin('POST', '/v1/workspaces', { id: 'gw', name: 'Gateway tests' });
    const key = (await admin('POST', '/v1/keys', { workspace_id: 'gw', name: 'app' })).body;
    const accepted = await chat({ 'x-portkey-api-key': key.secret });
    expect(accepted.status).toBe(200);
    await accepted.arrayBuffer();

    const rotated = (await admin('POST', `/v1/keys/${key.id}/rotate`)).body;
    const old = await chat({ authorization: `Bearer ${key.secret}` });
    expect(old.status).toBe(401);
    await old.arrayBuffer();
    const fresh = await chat({ authorization: `Bearer ${rotated.secret}` });
    expect(fresh.status).toBe(200);
    await fresh.arrayBuffer();

    await admin('POST', `/v1/keys/${key.id}/revoke`);
    const revoked = await chat({ 'x-portkey-api-key': rotated.secret });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({ error: { code: 'invalid_api_key' } });
  });
});

describe('the admin Lambda handler on AWS', () => {
  let dynamo: TestDynamo;
  let handler: (event: FunctionUrlEvent, context: unknown) => Promise<{ statusCode: number; body: string }>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    dynamo = await startTestDynamo();
    for (const [name, value] of Object.entries({
      TURNPIKE_RUNTIME: 'aws',
      TURNPIKE_CONTROL_TABLE: dynamo.tables.control,
      TURNPIKE_COUNTERS_TABLE: dynamo.tables.counters,
      TURNPIKE_CACHE_TABLE: dynamo.tables.cache,
      TURNPIKE_LOGS_TABLE: dynamo.tables.logs,
      TURNPIKE_SECRET_PREFIX: 'turnpike/test/virtual-keys/',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    })) {
      vi.stubEnv(name, value);
    }
    const module = await import('../../lambdas/admin/handler.ts');
    handler = module.handler as unknown as typeof handler;
    close = () => module.runtime.close();
  });
  afterAll(async () => {
    await close();
    vi.unstubAllEnvs();
    await dynamo.close();
  });

  function event(method: string, rawPath: string, rawQueryString: string, body: unknown, userArn: string | undefined): FunctionUrlEvent {
    const domainName = 'abcdefghij1234567890klmnop.lambda-url.us-east-1.on.aws';
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath,
      rawQueryString,
      headers: {
        host: domainName,
        'content-type': 'application/json',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20250601/us-east-1/lambda/aws4_request, SignedHeaders=host, Signature=0',
        'x-forwarded-proto': 'https',
      },
      requestContext: {
        accountId: '123456789012',
        apiId: 'abcdefghij1234567890klmnop',
        domainName,
        domainPrefix: 'abcdefghij1234567890klmnop',
        http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'turnpike-cli' },
        requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
        routeKey: '$default',
        stage: '$default',
        time: '01/Jun/2025:00:00:00 +0000',
        timeEpoch: 1_748_736_000_000,
        ...(userArn === undefined ? {} : { authorizer: { iam: { accessKey: 'AKIAEXAMPLE', accountId: '123456789012', callerId: 'AROAEXAMPLE:alice', userArn, userId: 'AROAEXAMPLE:alice' } } }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      isBase64Encoded: false,
    };
  }

  const lambdaContext = { awsRequestId: 'request-1', functionName: 'turnpike-admin', getRemainingTimeInMillis: () => 10_000, callbackWaitsForEmptyEventLoop: true };

  it('records the IAM signer of a function URL event as the actor', async () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/platform-admin/alice';
    const created = await handler(event('POST', '/v1/workspaces', '', { id: 'aws-team', name: 'AWS team' }, arn), lambdaContext);
    expect(created.statusCode).toBe(201);
    const audit = await handler(event('GET', '/v1/audit', 'resource_kind=workspace&resource_id=aws-team', undefined, arn), lambdaContext);
    expect(JSON.parse(audit.body).data).toEqual([expect.objectContaining({ actor: arn, action: 'create', resource_id: 'aws-team' })]);
  });

  it('refuses an event that carries no IAM identity, SigV4-looking header or not', async () => {
    const refused = await handler(event('GET', '/v1/workspaces', '', undefined, undefined), lambdaContext);
    expect(refused.statusCode).toBe(401);
  });
});
