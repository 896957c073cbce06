import { createIamAdminAuthenticator } from '../admin/admin-authenticators.ts';
import type { AdminRuntime } from '../admin/admin-runtime.ts';
import { systemClock } from '../adapters/node/system-clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { CounterStore } from '../ports/counter-store.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { LogStore } from '../ports/log-store.ts';
import type { RollupStore } from '../ports/rollup-store.ts';
import { createAwsClients } from './aws-clients.ts';
import type { Environment } from './read-runtime-options.ts';
import { GATEWAY_VERSION } from './version.ts';

/** Stores an admin runtime may borrow instead of opening its own (the local gateway's, or a test's). */
export interface AdminStores {
  control: ControlStore;
  keyVault: KeyVault;
  counters?: CounterStore;
  logs?: LogStore;
  rollups?: RollupStore;
}

/**
 * The admin function's AWS composition root: the Control and Counters tables and the Secrets
 * Manager vault (which names each secret `<TURNPIKE_SECRET_PREFIX><slug>` and passes
 * TURNPIKE_SECRETS_KMS_KEY_ARN to CreateSecret), callers identified by their IAM ARN.
 */
export function createAwsAdminRuntime(env: Environment, borrowed?: AdminStores): AdminRuntime {
  if (borrowed !== undefined) {
    return { version: GATEWAY_VERSION, ...borrowed, clock: systemClock, authenticator: createIamAdminAuthenticator(), close: async () => undefined };
  }
  const aws = createAwsClients(env, systemClock);
  return {
    version: GATEWAY_VERSION,
    control: aws.stores.control,
    keyVault: aws.keyVault,
    counters: aws.stores.counters,
    logs: aws.stores.logs,
    rollups: aws.stores.rollups,
    clock: systemClock,
    authenticator: createIamAdminAuthenticator(),
    close: async () => aws.close(),
  };
}

/**
 * Pick the admin composition root like the gateway does: `TURNPIKE_RUNTIME=local` or AWS. A
 * local token generated here is printed once on stdout, since nothing else will show it.
 */
export async function createAdminRuntimeFromEnvironment(env: Environment): Promise<AdminRuntime> {
  if (env.TURNPIKE_RUNTIME !== 'local') return createAwsAdminRuntime(env);
  // Imported only here, so local mode's adapters (dynalite, file vault) stay out of the code a
  // Lambda cold start loads, as for the gateway.
  const { createLocalAdminRuntime } = await import('./local-admin-runtime.ts');
  const runtime = await createLocalAdminRuntime(env);
  if (runtime.generatedToken !== undefined) console.log(adminTokenNotice(runtime.generatedToken));
  return runtime;
}

/** The one-time message that shows a generated admin token. */
export function adminTokenNotice(token: string): string {
  return `Turnpike admin token (shown once; set TURNPIKE_ADMIN_TOKEN to choose your own): ${token}`;
}
