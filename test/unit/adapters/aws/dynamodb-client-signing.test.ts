import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDynamoDbClient } from '../../../../shared/src/adapters/aws/dynamodb-client.ts';

/** Point the client at a handler that records the signed request and answers an empty GetItem. */
function captureAuthorization(client: ReturnType<typeof createDynamoDbClient>): { authorization: () => string | undefined; target: () => string } {
  let seen: string | undefined;
  let target = '';
  const handler = {
    handle(request: { headers: Record<string, string>; hostname: string; port?: number; path: string }) {
      seen = request.headers.authorization;
      target = `${request.hostname}:${request.port ?? ''}${request.path}`;
      const body = Readable.from([Buffer.from('{}')]);
      return Promise.resolve({ response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body } });
    },
  };
  (client.config as unknown as { requestHandler: typeof handler }).requestHandler = handler;
  return { authorization: () => seen, target: () => target };
}

const get = new GetItemCommand({ TableName: 't', Key: { pk: { S: 'k' }, sk: { S: 's' } } });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('createDynamoDbClient signing', () => {
  it('signs every call to AWS with SigV4', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const client = createDynamoDbClient({ region: 'eu-west-1' });
    const captured = captureAuthorization(client);
    await client.send(get);
    expect(captured.authorization()).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/);
  });

  it('gives dynalite the shape of a signature without computing one, at the endpoint it was given', async () => {
    const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:4567' });
    const captured = captureAuthorization(client);
    await client.send(get);
    expect(captured.target()).toBe('127.0.0.1:4567/');
    expect(captured.authorization()).toMatch(/^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/local\/dynamodb\/aws4_request, SignedHeaders=host;x-amz-date, Signature=local$/);
  });
});

describe('createDynamoDbClient per-call work', () => {
  it.each([
    ['on AWS', { region: 'eu-west-1' }],
    ['locally', { endpoint: 'http://127.0.0.1:4567' }],
  ])('resolves a command class middleware stack once, not on every send (%s)', async (_where, options) => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'secret');
    const client = createDynamoDbClient(options);
    const captured = captureAuthorization(client);
    const resolve = vi.spyOn(GetItemCommand.prototype, 'resolveMiddleware');
    let resolved: number;
    try {
      await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' }, sk: { S: 's' } } }));
      await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'b' }, sk: { S: 's' } } }));
      resolved = resolve.mock.calls.length;
    } finally {
      // Restoring also forgets the calls, hence the count taken above.
      resolve.mockRestore();
    }
    expect(resolved).toBe(1);
    // The cached stack still signs each call.
    expect(captured.authorization()).toMatch(/^AWS4-HMAC-SHA256 /);
  });
});
