import { createDynamoDbClient } from '../adapters/aws/dynamodb-client.ts';
import { createDynamoDbLogStore } from '../adapters/aws/dynamodb-log-store.ts';
import { createDynamoDbRollupStore } from '../adapters/aws/dynamodb-rollup-store.ts';
import { systemClock } from '../adapters/node/system-clock.ts';
import type { AnalyticsStores } from '../engine/plan-analytics-run.ts';
import type { Environment } from './read-runtime-options.ts';

/** The analytics function's stores, and the client to release. */
export interface AnalyticsRuntime extends AnalyticsStores {
  close(): void;
}

function required(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: the analytics function reads the Logs and Counters tables of the Turnpike stack.`);
  return value;
}

/**
 * The analytics function's composition root: the Logs table (read through byDay) and the
 * Counters table (rollups and their checkpoint) from the stack's environment
 * (docs/INFRA-CONTRACT.md). The SDK takes its endpoint from `AWS_ENDPOINT_URL_DYNAMODB` when set.
 */
export function createAnalyticsRuntime(env: Environment): AnalyticsRuntime {
  const logsTable = required(env, 'TURNPIKE_LOGS_TABLE');
  const countersTable = required(env, 'TURNPIKE_COUNTERS_TABLE');
  const client = createDynamoDbClient();
  return {
    logs: createDynamoDbLogStore({ client, tableName: logsTable, clock: systemClock }),
    rollups: createDynamoDbRollupStore({ client, tableName: countersTable, clock: systemClock }),
    clock: systemClock,
    close: () => client.destroy(),
  };
}
