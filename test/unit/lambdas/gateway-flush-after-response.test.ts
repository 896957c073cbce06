import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { installAwslambdaShim } from '../../../local/awslambda-shim.ts';
import { chatCompletionEvent, invocationContext } from '../../support/function-url-fixtures.ts';

installAwslambdaShim();
const { wrapEngineForStreaming } = await import('../../../lambdas/gateway/wrap-engine-for-streaming.ts');

const event = chatCompletionEvent('{}');
const context = invocationContext();

describe('the gateway streaming wrapper', () => {
  it('runs afterResponse once the last byte is written and the stream ended, before the invocation returns', async () => {
    const order: string[] = [];
    const encoder = new TextEncoder();
    const engine = {
      handle: async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(encoder.encode('data: one\n\n'));
              controller.enqueue(encoder.encode('data: two\n\n'));
              controller.close();
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    };
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        if (chunk.toString().includes('two')) order.push('last byte');
        callback();
      },
    });
    stream.on('finish', () => order.push('response ended'));
    const handler = wrapEngineForStreaming(engine, [], {
      afterResponse: async () => {
        order.push('flush started');
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('flush done');
      },
    });
    await handler(event, stream, context);
    order.push('invocation returned');
    expect(order).toEqual(['last byte', 'response ended', 'flush started', 'flush done', 'invocation returned']);
  });

  it('still ends the invocation when the flush fails', async () => {
    const engine = { handle: async () => new Response('ok') };
    const handler = wrapEngineForStreaming(engine, [], { afterResponse: () => Promise.reject(new Error('flush broke')) });
    await expect(handler(event, new Writable({ write: (_chunk, _encoding, callback) => callback() }), context)).resolves.toBeUndefined();
  });
});
