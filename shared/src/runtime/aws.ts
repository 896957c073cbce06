import { createInMemorySavedConfigStore } from '../adapters/local/in-memory-saved-config-store.ts';
import { createConsoleRequestLogSink, discardingRequestLogSink } from '../adapters/node/console-request-log-sink.ts';
import { createDnsHostResolver } from '../adapters/node/dns-host-resolver.ts';
import { systemClock } from '../adapters/node/system-clock.ts';
import { type RuntimeParts, composeRuntime } from './compose-runtime.ts';
import type { GatewayRuntime } from '../engine/gateway-runtime.ts';
import { type Environment, readRuntimeOptions } from './read-runtime-options.ts';
import { GATEWAY_VERSION } from './version.ts';

/**
 * The AWS composition root, built once per Lambda container. Settings come from the
 * function's environment; no custom host is allowed to reach private ranges by default.
 * The DynamoDB and Secrets Manager adapters join here when the persistent stores land.
 */
export function createAwsRuntime(env: Environment, overrides: Partial<RuntimeParts> = {}): GatewayRuntime {
  const options = readRuntimeOptions(env, 'aws', {}, GATEWAY_VERSION);
  return composeRuntime({
    settings: options.settings,
    allowedHosts: options.allowedHosts,
    fetch: globalThis.fetch,
    clock: systemClock,
    random: Math.random,
    hostResolver: createDnsHostResolver(),
    savedConfigs: createInMemorySavedConfigStore({}),
    requestLog: options.logRequests ? createConsoleRequestLogSink() : discardingRequestLogSink,
    ...overrides,
  });
}
