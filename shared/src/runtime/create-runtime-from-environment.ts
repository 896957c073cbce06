import { type PowertoolsTelemetry, createAwsRuntime } from './aws.ts';
import type { GatewayRuntime } from '../engine/gateway-runtime.ts';
import { createLocalRuntime } from './local.ts';
import type { Environment } from './read-runtime-options.ts';

/**
 * Pick the composition root: `TURNPIKE_RUNTIME=local` (set by `npm start`) or, by default,
 * AWS. Async because the local root starts its database first. `telemetry` is the Lambda
 * handler's Powertools logger and metrics, used by the AWS root (local mode logs to stdout).
 */
export async function createRuntimeFromEnvironment(env: Environment, telemetry?: PowertoolsTelemetry): Promise<GatewayRuntime> {
  return env.TURNPIKE_RUNTIME === 'local' ? createLocalRuntime(env) : createAwsRuntime(env, {}, telemetry);
}
