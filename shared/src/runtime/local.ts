import { createInMemorySavedConfigStore } from '../adapters/local/in-memory-saved-config-store.ts';
import { createConsoleRequestLogSink, discardingRequestLogSink } from '../adapters/node/console-request-log-sink.ts';
import { createDnsHostResolver } from '../adapters/node/dns-host-resolver.ts';
import { systemClock } from '../adapters/node/system-clock.ts';
import { type RuntimeParts, composeRuntime } from './compose-runtime.ts';
import type { GatewayRuntime } from '../engine/gateway-runtime.ts';
import { type Environment, readConfigFile, readRuntimeOptions } from './read-runtime-options.ts';
import { GATEWAY_VERSION } from './version.ts';

const DEFAULT_CONFIG_FILE = 'turnpike.config.json';

/**
 * The local composition root (`npm start`): settings from the environment and an optional
 * `turnpike.config.json`, saved configs in memory, request log lines on stdout.
 * `overrides` replace adapters in tests.
 */
export function createLocalRuntime(env: Environment, overrides: Partial<RuntimeParts> = {}): GatewayRuntime {
  const configPath = env.TURNPIKE_CONFIG_FILE;
  // An empty TURNPIKE_CONFIG_FILE means "no file", even if turnpike.config.json exists.
  const file = configPath === '' ? {} : readConfigFile(configPath ?? DEFAULT_CONFIG_FILE, configPath !== undefined);
  const options = readRuntimeOptions(env, 'local', file, GATEWAY_VERSION);
  return composeRuntime({
    settings: options.settings,
    allowedHosts: options.allowedHosts,
    fetch: globalThis.fetch,
    clock: systemClock,
    random: Math.random,
    hostResolver: createDnsHostResolver(),
    savedConfigs: createInMemorySavedConfigStore(options.savedConfigs),
    requestLog: options.logRequests ? createConsoleRequestLogSink() : discardingRequestLogSink,
    ...overrides,
  });
}
