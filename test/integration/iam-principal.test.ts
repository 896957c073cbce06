import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import type { GatewayRuntime } from '../../shared/src/engine/gateway-runtime.ts';
import type { FunctionUrlEvent, FunctionUrlIamAuthorizer } from '../../shared/src/http/function-url-event.ts';
import type { FunctionUrlStreamingHandler, LambdaInvocationContext } from '../../shared/src/http/function-url-streaming-handler.ts';
import { type AccessRepository, createAccessRepository } from '../../shared/src/keys/access-repository.ts';
import type { RequestRecord } from '../../shared/src/ports/request-log-sink.ts';
import { createLocalRuntime } from '../../shared/src/runtime/local.ts';
import { type LocalStores, openLocalStores } from '../../shared/src/runtime/local-stores.ts';
import { buildGatewayHandler } from '../../lambdas/gateway/build-gateway-handler.ts';
import { installAwslambdaShim } from '../../local/awslambda-shim.ts';

/**
 * IAM callers: the gateway Lambda handler invoked with function URL events (payload 2.0) whose
 * `requestContext.authorizer.iam` names the signer, as Lambda sends them on an AWS_IAM URL.
 * The same events reach a NONE runtime too, where the authorizer must mean nothing.
 */

const ACCOUNT = '123456789012';
const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/batch-nightly/i-0abc123`;
// What a SigV4-signed request carries; on the IAM URL it is never a gateway or provider key.
const SIGV4 = `AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab'.repeat(32)}`;

class ResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  setContentType(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    callback();
  }
}

const context: LambdaInvocationContext = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'turnpike-dev-gateway-internal',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
};

function iamAuthorizer(userArn: string): FunctionUrlIamAuthorizer {
  return { accessKey: 'ASIAEXAMPLE', accountId: ACCOUNT, callerId: 'AROAEXAMPLE:i-0abc123', principalOrgId: null, userArn, userId: 'AROAEXAMPLE:i-0abc123' };
}

function event(headers: Record<string, string>, body: unknown, authorizer?: FunctionUrlIamAuthorizer): FunctionUrlEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/v1/chat/completions',
    rawQueryString: '',
    headers: { host: 'internal.lambda-url.us-east-1.on.aws', 'content-type': 'application/json', 'x-forwarded-proto': 'https', ...headers },
    requestContext: {
      accountId: authorizer === undefined ? 'anonymous' : ACCOUNT,
      apiId: 'internal',
      domainName: 'internal.lambda-url.us-east-1.on.aws',
      domainPrefix: 'internal',
      http: { method: 'POST', path: '/v1/chat/completions', protocol: 'HTTP/1.1', sourceIp: '10.0.0.7', userAgent: 'aws-sdk-js' },
      requestId: 'req-1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1_767_225_600_000,
      ...(authorizer === undefined ? {} : { authorizer: { iam: authorizer } }),
    },
    body: JSON.stringify(body),
    isBase64Encoded: false,
  };
}

interface Answer {
  status: number;
  json: { error?: { code: string; message: string }; model?: string };
}

async function invoke(handler: FunctionUrlStreamingHandler, input: FunctionUrlEvent): Promise<Answer> {
  const stream = new ResponseStream();
  await handler(input, stream, context);
  const bytes = Buffer.concat(stream.chunks);
  const end = bytes.indexOf(Buffer.alloc(8));
  const prelude = JSON.parse(bytes.subarray(0, end).toString('utf8')) as { statusCode: number };
  return { status: prelude.statusCode, json: JSON.parse(bytes.subarray(end + 8).toString('utf8')) as Answer['json'] };
}

const chat = (model = 'mock-model') => ({ model, messages: [{ role: 'user', content: 'Hi' }] });

let local: LocalStores;
let access: AccessRepository;
let iamRuntime: GatewayRuntime;
let publicRuntime: GatewayRuntime;
let iamHandler: FunctionUrlStreamingHandler;
let publicHandler: FunctionUrlStreamingHandler;
const records: RequestRecord[] = [];

async function recordOfStatus(status: number, count: number): Promise<RequestRecord[]> {
  for (let waited = 0; waited < 200 && records.filter((record) => record.status === status).length < count; waited++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return records.filter((record) => record.status === status);
}

beforeAll(async () => {
  installAwslambdaShim();
  local = await openLocalStores({ TURNPIKE_DATA_DIR: ':memory:' }, systemClock);
  const parts = { stores: local.stores, keyVault: local.keyVault, requestLog: { write: (record: RequestRecord) => records.push(record) } };
  const env = { TURNPIKE_CONFIG_FILE: '', TURNPIKE_REQUIRE_GATEWAY_KEY: 'true' };
  iamRuntime = await createLocalRuntime({ ...env, TURNPIKE_FUNCTION_URL_AUTH: 'AWS_IAM' }, parts);
  publicRuntime = await createLocalRuntime({ ...env, TURNPIKE_FUNCTION_URL_AUTH: 'NONE' }, parts);
  iamHandler = buildGatewayHandler(iamRuntime);
  publicHandler = buildGatewayHandler(publicRuntime);
  access = createAccessRepository(local.stores.control, local.keyVault, systemClock);
  await access.createPrincipal({
    id: 'batch-jobs',
    workspaceId: 'ws-batch',
    name: 'Nightly batch roles',
    arnPattern: `arn:aws:iam::${ACCOUNT}:role/batch-*`,
    scopes: { providers: ['mock', 'openai'], models: ['mock-*', 'gpt-4o-mini'] },
    metadata: { team: 'data' },
  });
});

afterAll(async () => {
  await Promise.all([iamRuntime?.close(), publicRuntime?.close()]);
  await local?.close();
});

describe('the AWS_IAM function URL', () => {
  it('serves a caller whose session ARN matches a principal role pattern, and logs who it was', async () => {
    const answer = await invoke(iamHandler, event({ authorization: SIGV4, 'x-portkey-provider': 'mock' }, chat(), iamAuthorizer(SESSION_ARN)));
    expect(answer.status).toBe(200);
    expect(answer.json.model).toBe('mock-model');
    const [record] = await recordOfStatus(200, 1);
    expect(record).toMatchObject({ apiKeyId: 'batch-jobs', workspaceId: 'ws-batch', principalArn: SESSION_ARN, metadata: { team: 'data' } });
  });

  it("applies the principal's scopes", async () => {
    const answer = await invoke(iamHandler, event({ authorization: SIGV4, 'x-portkey-provider': 'mock' }, chat('big-other'), iamAuthorizer(SESSION_ARN)));
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: 'scope_denied' });
    expect(answer.json.error?.message).toBe('This principal may not use model "big-other": it is not in the principal\'s models scope.');
  });

  it('answers 403 unknown_principal for an ARN no principal matches', async () => {
    const answer = await invoke(iamHandler, event({ authorization: SIGV4, 'x-portkey-provider': 'mock' }, chat(), iamAuthorizer(`arn:aws:iam::${ACCOUNT}:user/mallory`)));
    expect(answer.status).toBe(403);
    expect(answer.json.error).toMatchObject({ code: 'unknown_principal' });
  });

  it('answers 401 when the event carries no IAM authorizer, even with a gateway key', async () => {
    const { secret } = await access.createApiKey({ workspaceId: 'ws-batch', name: 'not for the IAM URL' });
    const answer = await invoke(iamHandler, event({ 'x-portkey-api-key': secret, 'x-portkey-provider': 'mock' }, chat()));
    expect(answer.status).toBe(401);
    expect(answer.json.error).toMatchObject({ code: 'missing_iam_principal' });
  });

  it('never treats the SigV4 Authorization header as a provider key', async () => {
    const answer = await invoke(
      iamHandler,
      event({ authorization: SIGV4, 'x-portkey-provider': 'openai', 'x-portkey-custom-host': 'http://127.0.0.1:9/v1' }, chat('gpt-4o-mini'), iamAuthorizer(SESSION_ARN)),
    );
    expect(answer.status).toBe(401);
    expect(answer.json.error).toMatchObject({ code: 'missing_provider_credentials' });
  });
});

describe('the NONE function URL', () => {
  it('ignores an authorizer in the event: no gateway key is still 401', async () => {
    const answer = await invoke(publicHandler, event({ 'x-portkey-provider': 'mock' }, chat(), iamAuthorizer(SESSION_ARN)));
    expect(answer.status).toBe(401);
    expect(answer.json.error).toMatchObject({ code: 'missing_api_key' });
  });

  it('authenticates by the gateway key alone, recording no principal', async () => {
    const { record: key, secret } = await access.createApiKey({ workspaceId: 'ws-public', name: 'public' });
    records.length = 0;
    const answer = await invoke(
      publicHandler,
      event({ authorization: `Bearer ${secret}`, 'x-portkey-provider': 'mock' }, chat(), iamAuthorizer(SESSION_ARN)),
    );
    expect(answer.status).toBe(200);
    const [record] = await recordOfStatus(200, 1);
    expect(record).toMatchObject({ apiKeyId: key.id, workspaceId: 'ws-public' });
    expect(record?.principalArn).toBeUndefined();
  });
});
