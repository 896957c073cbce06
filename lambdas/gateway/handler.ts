import { createRuntimeFromEnvironment } from '@turnpike/shared/runtime/create-runtime-from-environment';
import { LazyPowertoolsTelemetry } from '@turnpike/shared/runtime/powertools-telemetry';
import { buildGatewayHandler } from './build-gateway-handler.ts';
import { rememberLambdaContext } from './remember-lambda-context.ts';

// Powertools is imported on the first request log, after the first response (see LazyPowertoolsTelemetry).
const telemetry = new LazyPowertoolsTelemetry();

// Built once per container at init (top-level await in ESM), then reused by every invocation.
// Exported so the local server can close it (its database) on shutdown.
export const runtime = await createRuntimeFromEnvironment(process.env, telemetry);

// The request log line and the metrics are written by the runtime's log sink after the last
// byte; middy runs `after` middleware before it streams the body, so Powertools' logMetrics
// would flush too early. The context is handed to the logger, as injectLambdaContext would.
export const handler = buildGatewayHandler(runtime, [rememberLambdaContext(telemetry)]);
