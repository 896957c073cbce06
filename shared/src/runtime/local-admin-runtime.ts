import { createTokenAdminAuthenticator } from '../admin/admin-authenticators.ts';
import type { AdminRuntime } from '../admin/admin-runtime.ts';
import { systemClock } from '../adapters/node/system-clock.ts';
import type { AdminStores } from './admin-runtime.ts';
import { loadLocalAdminToken } from './local-admin-token.ts';
import { openLocalStores, resolveLocalDataDir } from './local-stores.ts';
import type { Environment } from './read-runtime-options.ts';
import { GATEWAY_VERSION } from './version.ts';

/** A local admin runtime, with the admin token it generated (to be printed once), if it did. */
export interface LocalAdminRuntime extends AdminRuntime {
  generatedToken: string | undefined;
}

/**
 * The local composition root of the admin API: the local stores (borrowed from the local
 * gateway so both see one database, or opened here) and the admin token (see loadLocalAdminToken).
 */
export async function createLocalAdminRuntime(env: Environment, borrowed?: AdminStores): Promise<LocalAdminRuntime> {
  const token = await loadLocalAdminToken({ dataDir: resolveLocalDataDir(env), token: env.TURNPIKE_ADMIN_TOKEN });
  const common = { version: GATEWAY_VERSION, clock: systemClock, authenticator: createTokenAdminAuthenticator(token.sha256), generatedToken: token.generated };
  if (borrowed !== undefined) return { ...common, ...borrowed, close: async () => undefined };
  const local = await openLocalStores(env, systemClock);
  return {
    ...common,
    control: local.stores.control,
    keyVault: local.keyVault,
    counters: local.stores.counters,
    logs: local.stores.logs,
    ...(local.stores.rollups === undefined ? {} : { rollups: local.stores.rollups }),
    close: () => local.close(),
  };
}
