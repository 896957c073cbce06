import { createAwsRuntime } from './aws.ts';
import type { GatewayRuntime } from '../engine/gateway-runtime.ts';
import { createLocalRuntime } from './local.ts';
import type { Environment } from './read-runtime-options.ts';

/**
 * Pick the composition root: `TURNPIKE_RUNTIME=local` (set by `npm start`) or, by default,
 * AWS. Async so roots that must open stores before serving can do so.
 */
export async function createRuntimeFromEnvironment(env: Environment): Promise<GatewayRuntime> {
  return env.TURNPIKE_RUNTIME === 'local' ? createLocalRuntime(env) : createAwsRuntime(env);
}
