import { createAwsRuntime } from './aws.ts';
import type { LazyPowertoolsTelemetry } from './powertools-telemetry.ts';
import type { GatewayRuntime } from '../engine/gateway-runtime.ts';
import type { Environment } from './read-runtime-options.ts';

/**
 * Pick the composition root: `TURNPIKE_RUNTIME=local` (set by `npm start`) or, by default,
 * AWS. Async because the local root starts its database first. `telemetry` is the Lambda
 * handler's Powertools logger and metrics, loaded on first use, used by the AWS root (local mode logs to stdout).
 */
export async function createRuntimeFromEnvironment(env: Environment, telemetry?: LazyPowertoolsTelemetry): Promise<GatewayRuntime> {
  if (env.TURNPIKE_RUNTIME !== 'local') return createAwsRuntime(env, {}, telemetry);
  // Imported only here, local mode's adapters (config file, dynalite, file vault) stay out of
  // the code a Lambda cold start loads; in the bundle they are a chunk that AWS never reads.
  const { createLocalRuntime } = await import('./local.ts');
  return createLocalRuntime(env);
}
