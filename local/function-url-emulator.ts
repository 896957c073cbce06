import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { finished } from 'node:stream/promises';
import type {
  FunctionUrlStreamingHandler,
  LambdaInvocationContext,
} from '@turnpike/shared/http/function-url-streaming-handler';
import { buildFunctionUrlEvent } from './build-function-url-event.ts';
import { FunctionUrlResponseStream } from './function-url-response-stream.ts';
import { writeLambdaErrorResponse } from './lambda-error-responses.ts';

export interface FunctionUrlEmulatorOptions {
  handler: FunctionUrlStreamingHandler;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
  /** Largest request body accepted. @default 6 MiB, Lambda's synchronous invocation payload limit */
  maxRequestBytes?: number;
  /** @default 'turnpike-gateway-local' */
  functionName?: string;
}

export interface FunctionUrlEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
}

const sixMebibytes = 6 * 1024 * 1024;
// The longest a Lambda function may run; nothing locally enforces it.
const maximumFunctionTimeoutMs = 15 * 60 * 1000;

/**
 * Serve a response-streaming handler over HTTP the way a Lambda function URL does, so the
 * local gateway runs the very handler deployed to Lambda.
 */
export async function startFunctionUrlEmulator(options: FunctionUrlEmulatorOptions): Promise<FunctionUrlEmulator> {
  const host = options.host ?? '127.0.0.1';
  const maxRequestBytes = options.maxRequestBytes ?? sixMebibytes;
  const functionName = options.functionName ?? 'turnpike-gateway-local';

  // Known once listening (port 0 picks one), before the first request can arrive.
  let listening = { address: '', port: 0 };
  const server = createServer((request, response) => {
    void serveRequest({ request, response, handler: options.handler, maxRequestBytes, functionName, listening });
  });
  // Longer than the idle timeout of common HTTP clients, so a client never reuses a socket the
  // server is closing at that very moment.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  listening = { address: `${urlHost(host)}:${port}`, port };

  return {
    url: `http://${urlHost(host)}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive sockets and streams still open would otherwise hold close() for a minute.
        server.closeAllConnections();
      }),
  };
}

interface ServeRequestInput {
  request: IncomingMessage;
  response: ServerResponse;
  handler: FunctionUrlStreamingHandler;
  maxRequestBytes: number;
  functionName: string;
  /** `host:port` and port the server listens on. */
  listening: { address: string; port: number };
}

async function serveRequest(input: ServeRequestInput): Promise<void> {
  const { request, response, handler, maxRequestBytes } = input;
  const body = await readRequestBody(request, maxRequestBytes);
  if (body === 'aborted') return;
  if (body === 'too-large') {
    response.setHeader('connection', 'close');
    writeLambdaErrorResponse(response, { kind: 'request-too-large', limitBytes: maxRequestBytes });
    return;
  }

  const requestId = randomUUID();
  const event = buildFunctionUrlEvent({
    request,
    body,
    requestId,
    listenAddress: input.listening.address,
    listenPort: input.listening.port,
    now: new Date(),
  });
  const responseStream = new FunctionUrlResponseStream(response);
  // Failures surface through the handler's promise; without a listener an 'error' event would crash the process.
  responseStream.on('error', () => {});
  response.on('close', () => {
    // The client left before the whole response went out: make the handler's writes fail so
    // its pipeline tears down and cancels the body stream, which is how an abort reaches upstream.
    if (!response.writableFinished) responseStream.destroy();
  });

  try {
    await handler(event, responseStream, invocationContext(requestId, input.functionName));
    // The runtime closes the stream when the handler settles, whether or not the handler did.
    if (!responseStream.writableEnded) responseStream.end();
    await finished(responseStream);
  } catch {
    if (!responseStream.destroyed) responseStream.destroy();
    if (!response.headersSent) writeLambdaErrorResponse(response, { kind: 'function-error' });
    else if (!response.writableEnded) response.destroy();
  }
}

/**
 * The whole request body, or 'too-large' as soon as it passes the limit (nothing more is kept:
 * the rest is read and dropped so the client can still read the 413), or 'aborted' if the
 * client went away.
 */
function readRequestBody(request: IncomingMessage, limitBytes: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const declaredLength = Number(request.headers['content-length'] ?? '0');
  if (declaredLength > limitBytes) {
    request.resume();
    return Promise.resolve('too-large');
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    const onData = (chunk: Buffer): void => {
      receivedBytes += chunk.length;
      if (receivedBytes > limitBytes) {
        request.off('data', onData);
        chunks.length = 0;
        request.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', onData);
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', () => resolve('aborted'));
    request.once('close', () => {
      if (!request.complete) resolve('aborted');
    });
  });
}

function invocationContext(requestId: string, functionName: string): LambdaInvocationContext {
  const deadline = Date.now() + maximumFunctionTimeoutMs;
  return {
    awsRequestId: requestId,
    functionName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: true,
  };
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
