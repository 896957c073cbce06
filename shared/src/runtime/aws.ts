import { createAwsClients } from './aws-clients.ts';
import { createDnsHostResolver } from '../adapters/node/dns-host-resolver.ts';
import { createNodeHttpFetch } from '../adapters/node/node-http-fetch.ts';
import { systemClock } from '../adapters/node/system-clock.ts';
import { createDeferredRequestLogSink } from '../logging/deferred-request-log-sink.ts';
import { createControlSavedConfigStore } from '../keys/control-saved-config-store.ts';
import { type RuntimeParts, composeRuntime } from './compose-runtime.ts';
import { embedderFor } from './create-embedder.ts';
import { readCacheOptions } from './read-cache-options.ts';
import { readRequestLogOptions } from './read-request-log-options.ts';
import type { GatewayRuntime } from '../engine/gateway-runtime.ts';
import { type Environment, readRuntimeOptions } from './read-runtime-options.ts';
import { readUsageLimitOptions } from './read-usage-limit-options.ts';
import { createAwsBudgetAlertSink } from './aws-budget-alerts.ts';
import { GATEWAY_VERSION } from './version.ts';
import { LazyPowertoolsTelemetry } from './powertools-telemetry.ts';
import { pinnedAddressesOf } from '../security/pinned-host-addresses.ts';

/**
 * The AWS composition root, built once per Lambda container. Settings and table names come
 * from the function's environment (docs/INFRA-CONTRACT.md); no custom host may reach private
 * ranges by default. Request logs and metrics go out through Powertools.
 */
export function createAwsRuntime(env: Environment, overrides: Partial<RuntimeParts> = {}, telemetry = new LazyPowertoolsTelemetry()): GatewayRuntime {
  const options = readRuntimeOptions(env, 'aws', {}, GATEWAY_VERSION);
  const clock = overrides.clock ?? systemClock;
  const aws = overrides.stores !== undefined && overrides.keyVault !== undefined ? undefined : createAwsClients(env, clock);
  const stores = overrides.stores ?? aws?.stores;
  const keyVault = overrides.keyVault ?? aws?.keyVault;
  if (stores === undefined || keyVault === undefined) throw new Error('The AWS runtime needs its stores and key vault.');
  const cache = readCacheOptions(env, 'aws');
  const requestLogs = readRequestLogOptions(env);
  return composeRuntime({
    settings: { ...options.settings, cache: cache.settings },
    allowedHosts: options.allowedHosts,
    fetch: createNodeHttpFetch({ pinnedAddresses: pinnedAddressesOf }),
    clock,
    random: Math.random,
    hostResolver: createDnsHostResolver(),
    savedConfigs: createControlSavedConfigStore({ control: stores.control, clock }),
    requestLog: createDeferredRequestLogSink(
      async () => {
        const [sinks, loaded] = await Promise.all([import('../adapters/aws/powertools-request-log-sink.ts'), telemetry.get()]);
        return sinks.createPowertoolsRequestLogSink({ ...loaded, logRequests: options.logRequests });
      },
      (error) => console.error(JSON.stringify({ level: 'ERROR', message: 'turnpike: the request log sink could not be loaded', error: String(error) })),
    ),
    requestLogStorage: {
      enabled: requestLogs.store,
      bodies: requestLogs.bodies,
      retentionDays: requestLogs.retentionDays,
      onWriteFailure: (failure) => {
        void Promise.all([import('../adapters/aws/powertools-request-log-sink.ts'), telemetry.get()]).then(([sinks, loaded]) =>
          sinks.createPowertoolsLogWriteFailureReporter(loaded)(failure),
        );
      },
      // One PutItem per record: each invocation flushes its own record after its last byte, so
      // there is never a second one to batch with, and the role may PutItem on Logs but not
      // BatchWriteItem (which could delete too).
      batchWrites: false,
    },
    stores,
    keyVault,
    embedder: embedderFor(cache.embedder, env),
    usageLimits: {
      ...readUsageLimitOptions(env),
      budgetAlerts: createAwsBudgetAlertSink(env, (alert, error) => {
        void telemetry.get().then(({ logger }) => logger.error('budget alert not sent', { alert: { ...alert }, error: String(error) }));
      }),
    },
    close: async () => aws?.close(),
    ...overrides,
  });
}
