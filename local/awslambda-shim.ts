import type { Writable } from 'node:stream';

/** The head of a streamed HTTP response, as a handler passes it to `HttpResponseStream.from`. */
export interface HttpResponsePrelude {
  statusCode?: number;
  headers?: Record<string, string>;
  cookies?: string[];
}

/** A response stream as the Lambda runtime hands it over; `setContentType` exists there, maybe not elsewhere. */
export type LambdaResponseStream = Writable & { setContentType?: (contentType: string) => void };

export type StreamifiedHandler<TEvent, TContext> = (
  event: TEvent,
  responseStream: LambdaResponseStream,
  context: TContext,
) => Promise<void>;

/** The part of the `awslambda` global that response streaming uses. */
export interface AwslambdaGlobal {
  streamifyResponse<TEvent, TContext>(
    handler: StreamifiedHandler<TEvent, TContext>,
  ): StreamifiedHandler<TEvent, TContext>;
  HttpResponseStream: {
    from(responseStream: LambdaResponseStream, prelude: HttpResponsePrelude): LambdaResponseStream;
  };
}

declare global {
  // The Lambda Node.js runtime defines this before it loads the handler module.
  var awslambda: AwslambdaGlobal | undefined;
}

/** The content type that tells a function URL the stream starts with a JSON prelude. */
export const httpIntegrationResponseContentType = 'application/vnd.awslambda.http-integration-response';

/** Eight NUL bytes end the JSON prelude; JSON text can never contain a raw NUL. */
export const preludeDelimiter: Uint8Array = new Uint8Array(8);

// The runtime marks streaming handlers with this symbol to pick the streaming invoke path.
const streamingHandlerMarker = Symbol.for('aws.lambda.runtime.handler.streaming');

/**
 * Define `globalThis.awslambda` the way the Lambda runtime does, unless something already did.
 * Must run before any module that calls `awslambda.streamifyResponse` at load time is imported.
 */
export function installAwslambdaShim(): void {
  const existing: Partial<AwslambdaGlobal> | undefined = globalThis.awslambda;
  if (existing?.streamifyResponse !== undefined) return;
  // Outside Lambda the AWS SDK (through @aws/lambda-invoke-store) creates `awslambda` holding
  // only its InvokeStore when it loads: add the streaming part beside it.
  globalThis.awslambda = Object.assign(existing ?? {}, { streamifyResponse, HttpResponseStream: { from: httpResponseStreamFrom } });
}

function streamifyResponse<TEvent, TContext>(
  handler: StreamifiedHandler<TEvent, TContext>,
): StreamifiedHandler<TEvent, TContext> {
  const streamified: StreamifiedHandler<TEvent, TContext> = (event, responseStream, context) =>
    handler(event, responseStream, context);
  Object.defineProperty(streamified, streamingHandlerMarker, { value: 'response' });
  return streamified;
}

/**
 * Write the prelude (`{"statusCode":…,"headers":…,"cookies":…}` then 8 NUL bytes) and hand the
 * stream back for the body. The runtime defers the prelude until the first write; writing it at
 * once puts the same bytes on the wire.
 */
function httpResponseStreamFrom(
  responseStream: LambdaResponseStream,
  prelude: HttpResponsePrelude,
): LambdaResponseStream {
  responseStream.setContentType?.(httpIntegrationResponseContentType);
  responseStream.write(Buffer.concat([Buffer.from(JSON.stringify(prelude), 'utf8'), preludeDelimiter]));
  return responseStream;
}
