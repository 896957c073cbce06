import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import middy, { type MiddlewareObj } from '@middy/core';
import { executionModeStreamifyResponse } from '@middy/core/StreamifyResponse';
import type { GatewayEngine } from '@turnpike/shared/engine/gateway-engine';
import { createFunctionUrlHandler } from '@turnpike/shared/http/create-function-url-handler';
import type { FunctionUrlEvent } from '@turnpike/shared/http/function-url-event';
import type {
  FunctionUrlStreamingHandler,
  FunctionUrlStreamingResult,
} from '@turnpike/shared/http/function-url-streaming-handler';

type MiddyStreamingResult = Omit<FunctionUrlStreamingResult, 'body'> & { body: Readable | string };

export interface StreamingWrapperOptions {
  /**
   * Awaited once the response has been written to the end (or has failed), before the
   * invocation returns: Lambda may freeze the container after that, so pending request log
   * writes are flushed here, where they cost the caller nothing.
   */
  afterResponse?: () => Promise<void>;
}

/**
 * Wrap an engine as a response-streaming function URL handler, with `middlewares` (Powertools'
 * and the like) around it. Calls `awslambda.streamifyResponse`, so the `awslambda` global
 * must exist first.
 */
export function wrapEngineForStreaming(
  engine: GatewayEngine,
  middlewares: readonly MiddlewareObj[] = [],
  options: StreamingWrapperOptions = {},
): FunctionUrlStreamingHandler {
  const handleEvent = createFunctionUrlHandler(engine);
  const { afterResponse } = options;
  const handler = middy<FunctionUrlEvent, MiddyStreamingResult>({
    executionMode: executionModeStreamifyResponse,
    // Streams may run as long as the function allows; the engine applies its own timeouts.
    timeoutEarlyInMillis: 0,
    // middy's streaming mode calls requestEnd after piping the body into the response stream
    // and ending it, so the caller already has every byte.
    ...(afterResponse === undefined ? {} : { requestEnd: () => afterResponse().catch(() => undefined) }),
  })
    .use([...middlewares] as MiddlewareObj<FunctionUrlEvent, MiddyStreamingResult>[])
    .handler(async (event, context) => {
      const result = await handleEvent(event, context);
      if (typeof result.body === 'string') return { ...result, body: result.body };
      // middy pipes a web stream through an async iterator, which cannot stop while a read is
      // pending: a client leaving while the upstream is quiet would not cancel it until the next
      // chunk. A Node Readable is destroyed at once, and that cancels the web stream.
      return { ...result, body: Readable.fromWeb(result.body as NodeReadableStream<Uint8Array>) };
    });
  // middy's types describe the (event, context) handler it wraps, not the
  // (event, responseStream, context) function streamify mode hands to the runtime.
  return handler as unknown as FunctionUrlStreamingHandler;
}
