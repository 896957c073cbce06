import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRuntime } from '../../../shared/src/engine/gateway-runtime.ts';
import type { FunctionUrlEvent } from '../../../shared/src/http/function-url-event.ts';
import type { LambdaInvocationContext } from '../../../shared/src/http/function-url-streaming-handler.ts';
import type { RequestRecord } from '../../../shared/src/ports/request-log-sink.ts';
import { createLocalRuntime } from '../../../shared/src/runtime/local.ts';
import { installAwslambdaShim } from '../../../local/awslambda-shim.ts';

installAwslambdaShim();
const { buildGatewayHandler } = await import('../../../lambdas/gateway/build-gateway-handler.ts');

const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/v1/chat/completions',
  rawQueryString: '',
  headers: { host: 'example.lambda-url.us-east-1.on.aws', 'content-type': 'application/json', 'x-portkey-provider': 'mock' },
  requestContext: {
    accountId: 'anonymous',
    apiId: 'example',
    domainName: 'example.lambda-url.us-east-1.on.aws',
    domainPrefix: 'example',
    http: { method: 'POST', path: '/v1/chat/completions', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
    requestId: 'request-1',
    routeKey: '$default',
    stage: '$default',
    time: '22/Nov/2026:00:50:12 +0000',
    timeEpoch: 1_795_308_612_000,
  },
  body: JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'Hello' }] }),
  isBase64Encoded: false,
} as unknown as FunctionUrlEvent;

const context = {
  awsRequestId: 'invocation-1',
  functionName: 'gateway',
  getRemainingTimeInMillis: () => 60_000,
  callbackWaitsForEmptyEventLoop: true,
} as LambdaInvocationContext;

const order: string[] = [];
const records: RequestRecord[] = [];
let runtime: GatewayRuntime;

beforeAll(async () => {
  runtime = await createLocalRuntime(
    { TURNPIKE_DATA_DIR: ':memory:', TURNPIKE_CONFIG_FILE: '', TURNPIKE_STORE_REQUEST_LOGS: 'false' },
    {
      requestLog: {
        write: (record) => {
          records.push(record);
          order.push('record written');
        },
        flush: async () => {
          order.push('log flushed');
        },
      },
    },
  );
});
afterAll(() => runtime.close());

/** One invocation; what happened, in order, until it returned. */
async function invoke(target: GatewayRuntime): Promise<string[]> {
  order.length = 0;
  const response = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  response.on('finish', () => order.push('response ended'));
  await buildGatewayHandler(target)(event, response, context);
  order.push('invocation returned');
  return [...order];
}

describe('the gateway handler', () => {
  it('on Lambda, writes the record and flushes the request log after the last byte, before the invocation returns', async () => {
    const onLambda = { ...runtime, settings: { ...runtime.settings, mode: 'aws' as const } };
    const steps = await invoke(onLambda);
    expect(steps.filter((step) => step !== 'record written')).toEqual(['response ended', 'log flushed', 'invocation returned']);
    expect(steps.indexOf('record written')).toBeLessThan(steps.indexOf('log flushed'));
    expect(records.at(-1)).toMatchObject({ status: 200, provider: 'mock' });
  });

  it('locally, hands the record to the log but leaves the log to batch it: nothing freezes the server', async () => {
    expect(runtime.settings.mode).toBe('local');
    // The engine still hands the record over before the invocation returns.
    expect((await invoke(runtime)).sort()).toEqual(['invocation returned', 'record written', 'response ended']);
    expect(order.at(-1)).toBe('invocation returned');
    expect(records.at(-1)).toMatchObject({ status: 200, provider: 'mock' });
  });
});
