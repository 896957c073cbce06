import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GatewayRuntime } from '../../shared/src/engine/gateway-runtime.ts';
import type { FunctionUrlEvent } from '../../shared/src/http/function-url-event.ts';
import type { FunctionUrlStreamingHandler, LambdaInvocationContext } from '../../shared/src/http/function-url-streaming-handler.ts';
import { createAccessRepository } from '../../shared/src/keys/access-repository.ts';
import { installAwslambdaShim } from '../../local/awslambda-shim.ts';
import { type TestDynamo, startTestDynamo } from '../support/start-test-dynamo.ts';

/**
 * The deployed handler module (lambdas/gateway/handler.ts) on the AWS composition root, its
 * tables on dynalite, invoked the way Lambda invokes it: a function URL event (payload 2.0)
 * and a response stream, through the `awslambda` streaming shim.
 */

class ResponseStream extends Writable {
  readonly chunks: Buffer[] = [];
  contentType: string | undefined;
  setContentType(contentType: string): void {
    this.contentType = contentType;
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    callback();
  }
}

interface Invocation {
  prelude: { statusCode: number; headers: Record<string, string>; cookies?: string[] };
  body: string;
  chunkCount: number;
  contentType: string | undefined;
}

/** An event shaped like the ones a function URL with auth type NONE sends. */
function functionUrlEvent(method: string, rawPath: string, headers: Record<string, string>, body?: string, base64 = false): FunctionUrlEvent {
  const requestId = '8b6b3d2f-5c0e-4f7a-9d51-7d0c8e1f2a3b';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: {
      host: 'abcdefghij1234567890klmnop.lambda-url.us-east-1.on.aws',
      'x-amzn-tls-version': 'TLSv1.3',
      'x-amzn-tls-cipher-suite': 'TLS_AES_128_GCM_SHA256',
      'x-amzn-trace-id': 'Root=1-67a1b2c3-0a1b2c3d4e5f60718293a4b5',
      'x-forwarded-proto': 'https',
      'x-forwarded-port': '443',
      'x-forwarded-for': '203.0.113.7',
      accept: '*/*',
      'user-agent': 'OpenAI/JS 6.0.0',
      // The public URL requires a gateway key on AWS.
      authorization: `Bearer ${gatewayKey}`,
      ...headers,
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghij1234567890klmnop',
      domainName: 'abcdefghij1234567890klmnop.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghij1234567890klmnop',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'OpenAI/JS 6.0.0' },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: '22/Nov/2026:00:50:12 +0000',
      timeEpoch: 1_795_308_612_000,
    },
    ...(body === undefined ? {} : { body: base64 ? Buffer.from(body).toString('base64') : body }),
    isBase64Encoded: base64,
  };
}

const context: LambdaInvocationContext & Record<string, unknown> = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
  functionName: 'turnpike-dev-gateway',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:turnpike-dev-gateway',
  memoryLimitInMB: '1024',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
};

let dynamo: TestDynamo;
let gatewayKey = '';
let handler: FunctionUrlStreamingHandler;
let runtime: GatewayRuntime;
let stdout: string[];

async function invoke(event: FunctionUrlEvent): Promise<Invocation> {
  const stream = new ResponseStream();
  await handler(event, stream, context);
  const bytes = Buffer.concat(stream.chunks);
  const end = bytes.indexOf(Buffer.alloc(8));
  return {
    prelude: JSON.parse(bytes.subarray(0, end).toString('utf8')) as Invocation['prelude'],
    body: bytes.subarray(end + 8).toString('utf8'),
    chunkCount: stream.chunks.length,
    contentType: stream.contentType,
  };
}

/** The JSON lines Powertools wrote, once the request's record is out (it follows the last byte). */
async function loggedLines(count: number): Promise<Record<string, unknown>[]> {
  for (let waited = 0; waited < 200; waited++) {
    const lines = stdout.flatMap((text) => text.split('\n')).filter((line) => line.startsWith('{'));
    if (lines.length >= count) return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`expected ${count} log lines, got: ${stdout.join('')}`);
}

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
    POWERTOOLS_SERVICE_NAME: 'turnpike-gateway',
    POWERTOOLS_METRICS_NAMESPACE: 'Turnpike',
    POWERTOOLS_DEV: '',
    _X_AMZN_TRACE_ID: 'Root=1-67a1b2c3-0a1b2c3d4e5f60718293a4b5;Parent=53995c3f42cd8ad8;Sampled=1',
  })) {
    vi.stubEnv(name, value);
  }
  installAwslambdaShim();
  const module = await import('../../lambdas/gateway/handler.ts');
  handler = module.handler;
  runtime = module.runtime;
  const access = createAccessRepository(runtime.stores.control, runtime.keyVault, runtime.clock);
  gatewayKey = (await access.createApiKey({ workspaceId: 'test', name: 'handler tests' })).secret;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await runtime?.close();
  await dynamo?.close();
});

beforeEach(() => {
  // Powertools writes log lines and EMF records to stdout; keep them for the assertions.
  stdout = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('the gateway Lambda handler, invoked with a function URL event', () => {
  it('streams a chat completion: prelude with status and headers, then SSE chunks', async () => {
    const body = JSON.stringify({ model: 'mock-model', stream: true, messages: [{ role: 'user', content: 'Hello there' }] });
    const { prelude, body: sse, chunkCount, contentType } = await invoke(
      functionUrlEvent('POST', '/v1/chat/completions', {
        'content-type': 'application/json',
        'x-portkey-provider': 'mock',
        'x-portkey-trace-id': 'trace-from-client',
      }, body),
    );
    expect(contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(prelude.statusCode).toBe(200);
    expect(prelude.headers).toMatchObject({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-portkey-trace-id': 'trace-from-client',
      'x-portkey-provider': 'mock',
    });
    expect(chunkCount).toBeGreaterThan(2);
    const events = sse.split('\n\n').filter((event) => event !== '');
    expect(events.at(-1)).toBe('data: [DONE]');
    const text = events
      .slice(0, -1)
      .map((event) => JSON.parse(event.replace(/^data: /, '')) as { object: string; choices: { delta?: { content?: string } }[] })
      .map((chunk) => {
        expect(chunk.object).toBe('chat.completion.chunk');
        return chunk.choices[0]?.delta?.content ?? '';
      })
      .join('');
    expect(text).toContain('Hello there');

    const lines = await loggedLines(3);
    const log = lines.find((line) => line.message === 'request');
    expect(log).toMatchObject({
      level: 'INFO',
      service: 'turnpike-gateway',
      traceId: 'trace-from-client',
      xray_trace_id: '1-67a1b2c3-0a1b2c3d4e5f60718293a4b5',
      function_request_id: context.awsRequestId,
      function_name: 'turnpike-dev-gateway',
      status: 200,
      provider: 'mock',
      stream: true,
    });
    const metrics = lines.find((line) => '_aws' in line && !('provider' in line));
    expect(metrics).toMatchObject({ service: 'turnpike-gateway', Requests: 1, UpstreamRequests: 1, UpstreamErrors: 0, GatewayErrors: 0 });
  });

  it('answers a base64-encoded JSON request with a JSON body', async () => {
    const body = JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'Hi' }] });
    const { prelude, body: json } = await invoke(
      functionUrlEvent('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'x-portkey-provider': 'mock' }, body, true),
    );
    expect(prelude.statusCode).toBe(200);
    expect(prelude.headers['content-type']).toMatch(/^application\/json/);
    expect(prelude.headers['x-portkey-trace-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(json)).toMatchObject({ object: 'chat.completion', choices: [{ message: { role: 'assistant' } }] });
  });

  it('answers an OpenAI-shaped error when no provider is named (no default on AWS)', async () => {
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
    const { prelude, body: json } = await invoke(functionUrlEvent('POST', '/v1/chat/completions', { 'content-type': 'application/json' }, body));
    expect(prelude.statusCode).toBe(400);
    expect(JSON.parse(json)).toMatchObject({ error: { code: 'missing_provider', type: 'invalid_request_error' } });
  });

  it('refuses a call without a gateway key on AWS with 401 missing_api_key', async () => {
    const body = JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'Hi' }] });
    const event = functionUrlEvent('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'x-portkey-provider': 'mock' }, body);
    delete event.headers.authorization;
    const { prelude, body: json } = await invoke(event);
    expect(prelude.statusCode).toBe(401);
    expect(JSON.parse(json)).toMatchObject({ error: { code: 'missing_api_key', type: 'authentication_error' } });
  });

  it('reports health with the AWS mode', async () => {
    const { prelude, body } = await invoke(functionUrlEvent('GET', '/health', {}));
    expect(prelude.statusCode).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ status: 'ok', mode: 'aws' });
  });

  it('runs on the stores of its environment', async () => {
    expect(await runtime.stores.control.putIfAbsent({ kind: 'config', id: 'prod', data: { config: { provider: 'mock' } } })).toBeDefined();
    const body = JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'Hi' }] });
    const { prelude } = await invoke(
      functionUrlEvent('POST', '/v1/chat/completions', { 'content-type': 'application/json', 'x-portkey-config': 'prod' }, body),
    );
    expect(prelude.statusCode).toBe(200);
    expect(prelude.headers['x-portkey-provider']).toBe('mock');
  });
});
