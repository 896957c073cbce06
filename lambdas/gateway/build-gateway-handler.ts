import type { MiddlewareObj } from '@middy/core';
import { createGatewayEngine } from '@turnpike/shared/engine/create-gateway-engine';
import type { FunctionUrlStreamingHandler } from '@turnpike/shared/http/function-url-streaming-handler';
import type { GatewayRuntime } from '@turnpike/shared/engine/gateway-runtime';
import { wrapEngineForStreaming } from './wrap-engine-for-streaming.ts';

/**
 * The gateway's function URL handler for a runtime: one engine per container, streamed
 * responses, and on Lambda the request log and budget settlements flushed after the last
 * byte of each invocation.
 */
export function buildGatewayHandler(runtime: GatewayRuntime, middlewares: readonly MiddlewareObj[] = []): FunctionUrlStreamingHandler {
  const engine = createGatewayEngine(runtime);
  // Lambda may freeze the container once an invocation returns, so there the settlements and
  // the request log are written before it does. The local server never freezes: settlements of
  // a busy key keep merging into shared writes and its log keeps filling batches between
  // requests, and `runtime.close()` writes what is left.
  if (runtime.settings.mode !== 'aws') return wrapEngineForStreaming(engine, middlewares);
  const flushLog = runtime.requestLog.flush?.bind(runtime.requestLog);
  // The engine hands each record to the log once its cost is known (the first priced request
  // loads the price table), so the engine is flushed first, then the log.
  const afterResponse = async (): Promise<void> => {
    await engine.flush?.();
    await flushLog?.();
  };
  return wrapEngineForStreaming(engine, middlewares, { afterResponse });
}
