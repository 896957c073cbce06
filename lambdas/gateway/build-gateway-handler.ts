import type { MiddlewareObj } from '@middy/core';
import { createGatewayEngine } from '@turnpike/shared/engine/create-gateway-engine';
import type { FunctionUrlStreamingHandler } from '@turnpike/shared/http/function-url-streaming-handler';
import type { GatewayRuntime } from '@turnpike/shared/engine/gateway-runtime';
import { wrapEngineForStreaming } from './wrap-engine-for-streaming.ts';

/** The gateway's function URL handler for a runtime: one engine per container, streamed responses. */
export function buildGatewayHandler(runtime: GatewayRuntime, middlewares: readonly MiddlewareObj[] = []): FunctionUrlStreamingHandler {
  return wrapEngineForStreaming(createGatewayEngine(runtime), middlewares);
}
