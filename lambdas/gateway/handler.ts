import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createRuntimeFromEnvironment } from '@turnpike/shared/runtime/create-runtime-from-environment';
import { buildGatewayHandler } from './build-gateway-handler.ts';

// Powertools reads service name, namespace and log level from the environment the stack sets.
const logger = new Logger();
const metrics = new Metrics();

// Built once per container at init (top-level await in ESM), then reused by every invocation.
// Exported so the local server can close it (its database) on shutdown.
export const runtime = await createRuntimeFromEnvironment(process.env, { logger, metrics });

// The request log line and the metrics are written by the runtime's log sink after the last
// byte; middy runs `after` middleware before it streams the body, so Powertools' logMetrics
// would flush too early. injectLambdaContext only adds the Lambda context to the logger.
export const handler = buildGatewayHandler(runtime, [injectLambdaContext(logger)]);
