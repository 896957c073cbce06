import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { installAwslambdaShim, type AwslambdaGlobal } from '../../../local/awslambda-shim.ts';

class CollectingStream extends Writable {
  readonly chunks: Buffer[] = [];
  contentType: string | undefined;

  setContentType(contentType: string): void {
    this.contentType = contentType;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    callback();
  }

  bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function installedShim(): AwslambdaGlobal {
  installAwslambdaShim();
  if (globalThis.awslambda === undefined) throw new Error('the shim did not install awslambda');
  return globalThis.awslambda;
}

const previous = globalThis.awslambda;
afterEach(() => {
  globalThis.awslambda = previous;
});

describe('installAwslambdaShim', () => {
  it('writes the JSON prelude and eight NUL bytes before the body', async () => {
    globalThis.awslambda = undefined;
    const awslambda = installedShim();
    const stream = new CollectingStream();
    const prelude = { statusCode: 201, headers: { 'content-type': 'text/plain' }, cookies: ['a=1; Path=/'] };

    const bodyStream = awslambda.HttpResponseStream.from(stream, prelude);
    bodyStream.write('hello');
    await new Promise<void>((resolve) => bodyStream.end(resolve));

    const expected = Buffer.concat([
      Buffer.from('{"statusCode":201,"headers":{"content-type":"text/plain"},"cookies":["a=1; Path=/"]}'),
      Buffer.alloc(8),
      Buffer.from('hello'),
    ]);
    expect(stream.bytes().equals(expected)).toBe(true);
    expect(stream.contentType).toBe('application/vnd.awslambda.http-integration-response');
    expect(bodyStream).toBe(stream);
  });

  it('works on a stream without setContentType', () => {
    globalThis.awslambda = undefined;
    const awslambda = installedShim();
    const chunks: Buffer[] = [];
    const plain = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    awslambda.HttpResponseStream.from(plain, { statusCode: 204 });
    expect(Buffer.concat(chunks).equals(Buffer.concat([Buffer.from('{"statusCode":204}'), Buffer.alloc(8)]))).toBe(true);
  });

  it('streamifyResponse passes event, response stream and context to the handler', async () => {
    globalThis.awslambda = undefined;
    const awslambda = installedShim();
    const calls: unknown[][] = [];
    const streamified = awslambda.streamifyResponse<string, string>(async (event, responseStream, context) => {
      calls.push([event, responseStream, context]);
    });
    const stream = new CollectingStream();
    await streamified('event', stream, 'context');
    expect(calls).toEqual([['event', stream, 'context']]);
    expect((streamified as unknown as Record<symbol, unknown>)[Symbol.for('aws.lambda.runtime.handler.streaming')]).toBe(
      'response',
    );
  });

  it('leaves an awslambda global that already exists alone', () => {
    const existing: AwslambdaGlobal = {
      streamifyResponse: (handler) => handler,
      HttpResponseStream: { from: (stream) => stream },
    };
    globalThis.awslambda = existing;
    installAwslambdaShim();
    expect(globalThis.awslambda).toBe(existing);
  });
});

describe('installAwslambdaShim beside the AWS SDK', () => {
  it('adds streaming to the awslambda object the SDK created for its InvokeStore', () => {
    const invokeStore = { getXRayTraceId: () => undefined };
    globalThis.awslambda = { InvokeStore: invokeStore } as unknown as AwslambdaGlobal;
    installAwslambdaShim();
    expect(typeof globalThis.awslambda?.streamifyResponse).toBe('function');
    expect((globalThis.awslambda as unknown as { InvokeStore: unknown }).InvokeStore).toBe(invokeStore);
  });
});
