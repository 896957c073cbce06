import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FunctionUrlEvent } from '@turnpike/shared/http/function-url-event';
import type { FunctionUrlStreamingHandler } from '@turnpike/shared/http/function-url-streaming-handler';
import { wrapEngineForStreaming } from '../../lambdas/gateway/wrap-engine-for-streaming.ts';
import { installAwslambdaShim } from '../../local/awslambda-shim.ts';
import { startFunctionUrlEmulator, type FunctionUrlEmulator } from '../../local/function-url-emulator.ts';

const maxRequestBytes = 1024 * 1024;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

type EngineHandle = (request: Request) => Promise<Response>;

let engineHandle: EngineHandle;
let events: FunctionUrlEvent[];
let emulator: FunctionUrlEmulator;
let rawEmulator: FunctionUrlEmulator;
let rawHandler: FunctionUrlStreamingHandler;

beforeAll(async () => {
  installAwslambdaShim();
  // The same middy composition as lambdas/gateway/build-gateway-handler.ts, around a fake engine.
  const gatewayHandler = wrapEngineForStreaming({ handle: (request) => engineHandle(request) });
  emulator = await startFunctionUrlEmulator({
    handler: (event, responseStream, context) => {
      events.push(event);
      return gatewayHandler(event, responseStream, context);
    },
    maxRequestBytes,
  });
  rawEmulator = await startFunctionUrlEmulator({
    handler: (event, responseStream, context) => rawHandler(event, responseStream, context),
  });
});

afterAll(async () => {
  await emulator.close();
  await rawEmulator.close();
});

beforeEach(() => {
  events = [];
  engineHandle = () => Promise.reject(new Error('no engine behaviour set for this test'));
});

/** A promise with its resolve function, for steering a fake engine from the test. */
function signal<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const { value, done } = await reader.read();
  if (done) throw new Error('the stream ended early');
  return decoder.decode(value);
}

describe('function URL emulator with the gateway handler', () => {
  it('passes status, headers, cookies and body through both ways', async () => {
    let seen: { url: string; method: string; headers: Headers; body: string } | undefined;
    engineHandle = async (request) => {
      seen = { url: request.url, method: request.method, headers: request.headers, body: await request.text() };
      const headers = new Headers({ 'content-type': 'application/json', 'x-portkey-trace-id': 'trace-1' });
      headers.append('set-cookie', 'a=1; Path=/');
      headers.append('set-cookie', 'b=2; HttpOnly');
      return new Response('{"id":"chatcmpl-1"}', { status: 201, headers });
    };

    const response = await fetch(`${emulator.url}/v1/chat/completions?x=1&x=2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-portkey-provider': 'openai', cookie: 'session=s1; theme=dark' },
      body: '{"model":"gpt-4o-mini"}',
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-portkey-trace-id')).toBe('trace-1');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(await response.text()).toBe('{"id":"chatcmpl-1"}');

    expect(seen?.url).toBe(`${emulator.url}/v1/chat/completions?x=1&x=2`);
    expect(seen?.method).toBe('POST');
    expect(seen?.headers.get('x-portkey-provider')).toBe('openai');
    expect(seen?.headers.get('cookie')).toBe('session=s1; theme=dark');
    expect(seen?.body).toBe('{"model":"gpt-4o-mini"}');

    const [event] = events;
    expect(event?.version).toBe('2.0');
    expect(event?.rawQueryString).toBe('x=1&x=2');
    expect(event?.queryStringParameters).toEqual({ x: '1,2' });
    expect(event?.cookies).toEqual(['session=s1', 'theme=dark']);
    expect(event?.headers.cookie).toBeUndefined();
    expect(event?.isBase64Encoded).toBe(false);
    expect(event?.requestContext.http).toMatchObject({ method: 'POST', path: '/v1/chat/completions', sourceIp: '127.0.0.1' });
    expect(event?.requestContext.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('delivers the first chunk before the engine has produced the second', async () => {
    const firstChunkReceived = signal();
    engineHandle = () => {
      let step = 0;
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          step += 1;
          if (step === 1) controller.enqueue(encoder.encode('data: first\n\n'));
          else if (step === 2) {
            // Produced only once the client holds the first chunk: any buffering would deadlock.
            await firstChunkReceived.promise;
            controller.enqueue(encoder.encode('data: second\n\n'));
          } else controller.close();
        },
      });
      return Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
    };

    const response = await fetch(`${emulator.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    expect(await readChunk(reader)).toBe('data: first\n\n');
    firstChunkReceived.resolve();
    expect(await readChunk(reader)).toBe('data: second\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('sends the status and headers before a slow first chunk', async () => {
    const headersReceived = signal();
    engineHandle = () => {
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          // Produced only once the client has the head: holding the head back would deadlock.
          await headersReceived.promise;
          controller.enqueue(encoder.encode('data: late\n\n'));
          controller.close();
        },
      });
      return Promise.resolve(new Response(body, { status: 201, headers: { 'content-type': 'text/event-stream' } }));
    };
    const response = await fetch(`${emulator.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(201);
    headersReceived.resolve();
    expect(await response.text()).toBe('data: late\n\n');
  });

  it('answers several complete responses in a row on one keep-alive connection', async () => {
    let count = 0;
    engineHandle = () => Promise.resolve(Response.json({ count: ++count }));
    for (let index = 1; index <= 3; index++) {
      const response = await fetch(`${emulator.url}/v1/models`);
      expect(await response.json()).toEqual({ count: index });
    }
  });

  it('streams a large body intact through backpressure', async () => {
    const chunk = randomBytes(64 * 1024);
    const chunkCount = 96;
    engineHandle = () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === chunkCount) controller.close();
          else {
            sent += 1;
            controller.enqueue(new Uint8Array(chunk));
          }
        },
      });
      return Promise.resolve(new Response(body));
    };

    const received = Buffer.from(await (await fetch(`${emulator.url}/large`)).arrayBuffer());
    expect(received.length).toBe(chunk.length * chunkCount);
    expect(received.subarray(received.length - chunk.length).equals(chunk)).toBe(true);
  });

  it('round-trips a binary request body as base64', async () => {
    engineHandle = async (request) =>
      new Response(await request.arrayBuffer(), { headers: { 'content-type': 'application/octet-stream' } });
    const bytes = new Uint8Array(256).map((_, index) => index);

    const response = await fetch(`${emulator.url}/v1/files`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });

    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(events[0]?.isBase64Encoded).toBe(true);
    expect(events[0]?.body).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('refuses a body over the limit with 413 before the function runs', async () => {
    engineHandle = vi.fn(() => Promise.resolve(new Response('should not run')));

    const response = await fetch(`${emulator.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(maxRequestBytes + 1),
    });

    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      Message: `Request must be smaller than ${maxRequestBytes} bytes for the InvokeFunction operation`,
    });
    expect(engineHandle).not.toHaveBeenCalled();
  });

  it('refuses a chunked body once it passes the limit', async () => {
    engineHandle = vi.fn(() => Promise.resolve(new Response('should not run')));
    const piece = new Uint8Array(256 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent * piece.length > maxRequestBytes) controller.close();
        else {
          sent += 1;
          controller.enqueue(piece);
        }
      },
    });

    const response = await fetch(`${emulator.url}/v1/chat/completions`, { method: 'POST', body, duplex: 'half' } as RequestInit);

    expect(response.status).toBe(413);
    await response.arrayBuffer();
    expect(engineHandle).not.toHaveBeenCalled();
  });

  it('cancels the engine body stream when the client disconnects mid-stream', async () => {
    const cancelled = signal<unknown>();
    engineHandle = () => {
      let step = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          step += 1;
          if (step === 1) controller.enqueue(encoder.encode('data: first\n\n'));
          // After the first chunk the upstream goes quiet, as a slow model would.
          return step === 1 ? undefined : new Promise<void>(() => {});
        },
        cancel(reason) {
          cancelled.resolve(reason);
        },
      });
      return Promise.resolve(new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
    };

    const abort = new AbortController();
    const response = await fetch(`${emulator.url}/v1/chat/completions`, { method: 'POST', body: '{}', signal: abort.signal });
    const reader = response.body!.getReader();
    expect(await readChunk(reader)).toBe('data: first\n\n');
    abort.abort();

    // Resolves only if the engine's stream is cancelled; the test times out otherwise.
    await cancelled.promise;
  });

  it('answers with an OpenAI-shaped 500 when the engine throws', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    engineHandle = () => Promise.reject(new TypeError('engine bug'));
    try {
      const response = await fetch(`${emulator.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({
        error: { message: 'The gateway failed to handle the request.', type: 'api_error', code: 'internal_error', param: null },
      });
    } finally {
      consoleError.mockRestore();
    }
  });
});

describe('function URL emulator with a raw streaming handler', () => {
  it("answers 502 like Lambda when the handler fails before writing a response", async () => {
    rawHandler = () => Promise.reject(new Error('crashed at start'));
    const response = await fetch(`${rawEmulator.url}/anything`);
    expect(response.status).toBe(502);
    expect(await response.json()).toEqual({ Message: 'Internal Server Error' });
  });

  it('cuts the connection when the handler fails after the body has started', async () => {
    rawHandler = async (_event, responseStream) => {
      const stream = globalThis.awslambda!.HttpResponseStream.from(responseStream, { statusCode: 200, headers: {} });
      stream.write('partial');
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('crashed mid-stream');
    };
    const response = await fetch(`${rawEmulator.url}/anything`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('serves a stream without a prelude as a 200 body of its content type', async () => {
    rawHandler = async (_event, responseStream) => {
      (responseStream as typeof responseStream & { setContentType(type: string): void }).setContentType('text/plain');
      responseStream.end('plain body');
    };
    const response = await fetch(`${rawEmulator.url}/anything`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe('plain body');
  });
});
