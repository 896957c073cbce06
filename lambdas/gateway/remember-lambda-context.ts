import type { MiddlewareObj } from '@middy/core';
import type { LazyPowertoolsTelemetry } from '@turnpike/shared/runtime/powertools-telemetry';

/**
 * Middleware that hands each invocation's Lambda context to the (lazily loaded) Powertools
 * logger, so request log lines carry the Lambda request id and cold-start flag without the
 * handler importing Powertools at start-up.
 */
export function rememberLambdaContext(telemetry: Pick<LazyPowertoolsTelemetry, 'setInvocationContext'>): MiddlewareObj {
  return {
    before(request) {
      telemetry.setInvocationContext(request.context);
    },
  };
}
