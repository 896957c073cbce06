import { resolve, join } from 'node:path';
import { createDynamoDbClient } from '../adapters/aws/dynamodb-client.ts';
import { createDynamoDbStores } from '../adapters/aws/dynamodb-stores.ts';
import { createTurnpikeTables } from '../adapters/aws/create-turnpike-tables.ts';
import type { TurnpikeTableNames } from '../adapters/aws/turnpike-tables.ts';
import { createFileKeyVault } from '../adapters/local/file-key-vault.ts';
import { createInMemoryKeyVault } from '../adapters/local/in-memory-key-vault.ts';
import { startDynalite } from '../adapters/local/start-dynalite.ts';
import { startDynaliteProcess } from '../adapters/local/start-dynalite-process.ts';
import { loadVaultKey } from '../adapters/local/vault-key.ts';
import type { GatewayStores } from '../engine/gateway-runtime.ts';
import type { Clock } from '../ports/clock.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { Environment } from './read-runtime-options.ts';

/** The local tables' names (on AWS the stack names them). */
export const LOCAL_TABLE_NAMES: TurnpikeTableNames = {
  control: 'turnpike-control',
  counters: 'turnpike-counters',
  cache: 'turnpike-cache',
  logs: 'turnpike-logs',
};

/** `TURNPIKE_DATA_DIR` value that keeps everything in memory (tests, benchmarks). */
export const IN_MEMORY_DATA_DIR = ':memory:';
const DEFAULT_DATA_DIR = '.turnpike';

/** Where dynalite runs (`TURNPIKE_DYNALITE_PROCESS`): in a child process of its own, or in this one. */
export type DynaliteProcessMode = 'child' | 'in-process';

/** Read `TURNPIKE_DYNALITE_PROCESS`; `npm start` sets `child`, code that composes a runtime itself (tests) gets `in-process`. */
export function readDynaliteProcessMode(env: Environment): DynaliteProcessMode {
  const raw = env.TURNPIKE_DYNALITE_PROCESS;
  if (raw === undefined || raw === '') return 'in-process';
  if (raw === 'child' || raw === 'in-process') return raw;
  throw new Error(`TURNPIKE_DYNALITE_PROCESS must be child or in-process, got "${raw}".`);
}

/** The absolute local data folder (`TURNPIKE_DATA_DIR`, default `.turnpike/`), or undefined for `:memory:`. */
export function resolveLocalDataDir(env: Environment): string | undefined {
  const configured = env.TURNPIKE_DATA_DIR;
  if (configured === IN_MEMORY_DATA_DIR) return undefined;
  return resolve(configured === undefined || configured === '' ? DEFAULT_DATA_DIR : configured);
}

export interface LocalStores {
  stores: GatewayStores;
  keyVault: KeyVault;
  /** The folder holding the data, or undefined in memory. */
  dataDir: string | undefined;
  close(): Promise<void>;
}

/**
 * Open the local mode's stores: dynalite with its data in
 * `<TURNPIKE_DATA_DIR>/dynamodb` (default `.turnpike/` under the working directory; delete
 * the folder to start afresh), the tables created on first start, and the AES-256-GCM file
 * vault beside it. `TURNPIKE_DATA_DIR=:memory:` keeps both in memory.
 * `TURNPIKE_DYNALITE_PROCESS=child` runs dynalite in a child process (see startDynaliteProcess),
 * off the thread that answers requests. `TURNPIKE_DYNAMODB_ENDPOINT` (e.g.
 * `http://127.0.0.1:8000`) connects to a DynamoDB-compatible server that is already running
 * instead, so several local gateways can share one database (and its cache); the tables are
 * created there when missing.
 */
export async function openLocalStores(env: Environment, clock: Pick<Clock, 'now'>): Promise<LocalStores> {
  const dataDir = resolveLocalDataDir(env);
  const processMode = readDynaliteProcessMode(env);

  const keyVault = dataDir === undefined
    ? createInMemoryKeyVault()
    : createFileKeyVault({ path: join(dataDir, 'vault.json'), key: await loadVaultKey({ dataDir, keyBase64: env.TURNPIKE_VAULT_KEY }) });

  const sharedEndpoint = env.TURNPIKE_DYNAMODB_ENDPOINT;
  const dynamoOptions = dataDir === undefined ? {} : { path: join(dataDir, 'dynamodb') };
  const dynamo =
    sharedEndpoint !== undefined && sharedEndpoint !== ''
      ? { endpoint: sharedEndpoint, close: async () => undefined }
      : processMode === 'child'
        ? await startDynaliteProcess(dynamoOptions)
        : await startDynalite(dynamoOptions);
  const client = createDynamoDbClient({ endpoint: dynamo.endpoint });
  const close = async (): Promise<void> => {
    client.destroy();
    await dynamo.close();
  };
  try {
    await createTurnpikeTables(client, LOCAL_TABLE_NAMES);
  } catch (error) {
    await close().catch(() => undefined);
    throw new Error(
      `Could not open the local database${dataDir === undefined ? '' : ` in ${join(dataDir, 'dynamodb')}`}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return { stores: createDynamoDbStores(client, LOCAL_TABLE_NAMES, clock), keyVault, dataDir, close };
}
