import { createInMemorySavedConfigStore } from '../adapters/local/in-memory-saved-config-store.ts';
import { createConsoleLogWriteFailureReporter, createConsoleRequestLogSink, discardingRequestLogSink } from '../adapters/node/console-request-log-sink.ts';
import { createDnsHostResolver } from '../adapters/node/dns-host-resolver.ts';
import { createNodeHttpFetch } from '../adapters/node/node-http-fetch.ts';
import { systemClock } from '../adapters/node/system-clock.ts';
import { LOCAL_SETTLE_COALESCE_MS } from '../engine/usage-settlements.ts';
import { createControlSavedConfigStore } from '../keys/control-saved-config-store.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
import { type RuntimeParts, composeRuntime } from './compose-runtime.ts';
import type { GatewayRuntime } from '../engine/gateway-runtime.ts';
import { embedderFor } from './create-embedder.ts';
import { openLocalStores } from './local-stores.ts';
import { readCacheOptions } from './read-cache-options.ts';
import { readRequestLogOptions } from './read-request-log-options.ts';
import { readConfigFile } from './read-config-file.ts';
import { type Environment, readRuntimeOptions } from './read-runtime-options.ts';
import { readUsageLimitOptions } from './read-usage-limit-options.ts';
import { GATEWAY_VERSION } from './version.ts';
import { pinnedAddressesOf } from '../security/pinned-host-addresses.ts';

const DEFAULT_CONFIG_FILE = 'turnpike.config.json';

/** Look a saved config up in each store in turn; the first that has it wins. */
function firstSavedConfigStore(...stores: SavedConfigStore[]): SavedConfigStore {
  return {
    async get(id) {
      for (const store of stores) {
        const config = await store.get(id);
        if (config !== undefined) return config;
      }
      return undefined;
    },
  };
}

/**
 * The local composition root (`npm start`): settings from the environment and an optional
 * `turnpike.config.json`, the stores on an in-process dynalite and the file vault (see
 * openLocalStores), saved configs from the config file first and the control table second,
 * request log lines on stdout. `overrides` replace adapters in tests; call `close()` when done.
 */
export async function createLocalRuntime(env: Environment, overrides: Partial<RuntimeParts> = {}): Promise<GatewayRuntime> {
  const configPath = env.TURNPIKE_CONFIG_FILE;
  // An empty TURNPIKE_CONFIG_FILE means "no file", even if turnpike.config.json exists.
  const file = configPath === '' ? {} : readConfigFile(configPath ?? DEFAULT_CONFIG_FILE, configPath !== undefined);
  const options = readRuntimeOptions(env, 'local', file, GATEWAY_VERSION);
  const cache = readCacheOptions(env, 'local');
  const requestLogs = readRequestLogOptions(env);
  const clock = overrides.clock ?? systemClock;
  // Tests that bring their own stores and vault start no database.
  const local = overrides.stores !== undefined && overrides.keyVault !== undefined ? undefined : await openLocalStores(env, clock);
  const stores = overrides.stores ?? local?.stores;
  const keyVault = overrides.keyVault ?? local?.keyVault;
  if (stores === undefined || keyVault === undefined) throw new Error('The local runtime needs its stores and key vault.');
  const fileConfigs = createInMemorySavedConfigStore(options.savedConfigs);
  return composeRuntime({
    settings: { ...options.settings, cache: cache.settings },
    allowedHosts: options.allowedHosts,
    fetch: createNodeHttpFetch({ pinnedAddresses: pinnedAddressesOf }),
    clock,
    random: Math.random,
    hostResolver: createDnsHostResolver(),
    savedConfigs: firstSavedConfigStore(fileConfigs, createControlSavedConfigStore({ control: stores.control, clock })),
    requestLog: options.logRequests ? createConsoleRequestLogSink() : discardingRequestLogSink,
    requestLogStorage: { enabled: requestLogs.store, bodies: requestLogs.bodies, retentionDays: requestLogs.retentionDays, onWriteFailure: createConsoleLogWriteFailureReporter() },
    stores,
    keyVault,
    embedder: embedderFor(cache.embedder, env),
    // The server lives on between requests, so settlements of a busy key can share a write.
    usageLimits: { settleCoalesceMs: LOCAL_SETTLE_COALESCE_MS, ...readUsageLimitOptions(env) },
    close: async () => local?.close(),
    ...overrides,
  });
}
