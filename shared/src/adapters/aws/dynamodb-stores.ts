import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { CacheStore } from '../../ports/cache-store.ts';
import type { Clock } from '../../ports/clock.ts';
import type { ControlStore } from '../../ports/control-store.ts';
import type { CounterStore } from '../../ports/counter-store.ts';
import type { LogStore } from '../../ports/log-store.ts';
import type { RollupStore } from '../../ports/rollup-store.ts';
import type { SemanticCacheIndex } from '../../ports/semantic-cache-index.ts';
import { createDynamoDbCacheStore } from './dynamodb-cache-store.ts';
import { createDynamoDbControlStore } from './dynamodb-control-store.ts';
import { createDynamoDbCounterStore } from './dynamodb-counter-store.ts';
import { createDynamoDbLogStore } from './dynamodb-log-store.ts';
import { createDynamoDbRollupStore } from './dynamodb-rollup-store.ts';
import { createDynamoDbSemanticCacheIndex } from './dynamodb-semantic-cache-index.ts';
import type { TurnpikeTableNames } from './turnpike-tables.ts';

export interface DynamoDbStores {
  control: ControlStore;
  counters: CounterStore;
  cache: CacheStore;
  semanticIndex: SemanticCacheIndex;
  logs: LogStore;
  /** Analytics rollups, in the Counters table. */
  rollups: RollupStore;
}

/** Every store on one shared DynamoDB client, one table per access pattern. */
export function createDynamoDbStores(client: DynamoDBClient, tables: TurnpikeTableNames, clock?: Pick<Clock, 'now'>): DynamoDbStores {
  const common = clock === undefined ? { client } : { client, clock };
  return {
    control: createDynamoDbControlStore({ ...common, tableName: tables.control }),
    counters: createDynamoDbCounterStore({ ...common, tableName: tables.counters }),
    cache: createDynamoDbCacheStore({ ...common, tableName: tables.cache }),
    semanticIndex: createDynamoDbSemanticCacheIndex({ ...common, tableName: tables.cache }),
    logs: createDynamoDbLogStore({ ...common, tableName: tables.logs }),
    rollups: createDynamoDbRollupStore({ ...common, tableName: tables.counters }),
  };
}
