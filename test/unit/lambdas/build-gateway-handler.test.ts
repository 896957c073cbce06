import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayRuntime } from '../../../shared/src/engine/gateway-runtime.ts';
import type { RequestRecord } from '../../../shared/src/ports/request-log-sink.ts';
import { createLocalRuntime } from '../../../shared/src/runtime/local.ts';
import { installAwslambdaShim } from '../../../local/awslambda-shim.ts';
import { chatCompletionEvent, invocationContext } from '../../support/function-url-fixtures.ts';

installAwslambdaShim();
const { buildGatewayHandler } = await import('../../../lambdas/gateway/build-gateway-handler.ts');

const event = chatCompletionEvent(JSON.stringify({ model: 'mock-model', messages: [{ role: 'user', content: 'Hello' }] }), { 'x-portkey-provider': 'mock' });
const context = invocationContext();

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

  it('locally, flushes nothing after the response: nothing freezes the server', async () => {
    expect(runtime.settings.mode).toBe('local');
    const before = records.length;
    const steps = await invoke(runtime);
    expect(steps).not.toContain('log flushed');
    expect(steps.filter((step) => step !== 'record written')).toEqual(['response ended', 'invocation returned']);
    // The engine hands the record over on its own once the cost is known.
    for (let waited = 0; records.length === before && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).not.toContain('log flushed');
    expect(records.at(-1)).toMatchObject({ status: 200, provider: 'mock' });
  });
});
