import { describe, expect, it } from 'vitest';
import { buildAdminHandler } from '../../../lambdas/admin/build-admin-handler.ts';
import { createInMemoryKeyVault } from '../../../shared/src/adapters/local/in-memory-key-vault.ts';
import { createIamAdminAuthenticator } from '../../../shared/src/admin/admin-authenticators.ts';
import type { FunctionUrlEvent } from '../../../shared/src/http/function-url-event.ts';
import type { ControlItem, ControlItemInput, ControlStore } from '../../../shared/src/ports/control-store.ts';

function event(method: string, rawPath: string, body?: unknown, userArn?: string): FunctionUrlEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: 'admin.lambda-url.us-east-1.on.aws', 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'admin',
      domainName: 'admin.lambda-url.us-east-1.on.aws',
      domainPrefix: 'admin',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2025:00:00:00 +0000',
      timeEpoch: 1_735_689_600_000,
      ...(userArn === undefined ? {} : { authorizer: { iam: { userArn, accountId: '123456789012' } } }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
  };
}

/** Records what is written; enough for creating a workspace and its audit record. */
function recordingControlStore(): ControlStore & { written: ControlItemInput[] } {
  const written: ControlItemInput[] = [];
  return {
    written,
    get: async () => undefined,
    async putIfAbsent(input) {
      written.push(input);
      const item: ControlItem = { ...input, version: 1, createdAt: 0, updatedAt: 0 };
      return item;
    },
    putIfVersion: async () => undefined,
    delete: async () => false,
    list: async () => ({ items: [], cursor: undefined }),
  };
}

describe('admin Lambda handler', () => {
  const control = recordingControlStore();
  const handler = buildAdminHandler({
    version: '9.9.9',
    control,
    keyVault: createInMemoryKeyVault(),
    clock: { now: () => 1_735_689_600_000 },
    authenticator: createIamAdminAuthenticator(),
    close: async () => undefined,
  });

  it('answers GET /health through the function URL result shape', async () => {
    expect(await handler(event('GET', '/health'))).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'ok', version: '9.9.9' }),
      isBase64Encoded: false,
    });
  });

  it('records the IAM signer from the event as the actor of a change', async () => {
    const arn = 'arn:aws:sts::123456789012:assumed-role/operator/alice';
    const result = await handler(event('POST', '/v1/workspaces', { id: 'team', name: 'Team' }, arn));
    expect(result.statusCode).toBe(201);
    const audit = control.written.find((input) => input.kind === 'audit');
    expect(audit?.data).toMatchObject({ actor: arn, action: 'create', resource: { kind: 'workspace', id: 'team' } });
  });

  it('refuses an event without an IAM identity (a URL not set to AWS_IAM)', async () => {
    const result = await handler(event('GET', '/v1/workspaces'));
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body).error.code).toBe('missing_iam_identity');
  });
});
