import { GetItemCommand, QueryCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { RollupDimension, RollupGranularity, RollupMetrics, RollupRow, RollupStore } from '../../ports/rollup-store.ts';
import { isConditionalCheckFailed, storeUnavailable } from './dynamodb-errors.ts';
import {
  type DynamoItem,
  EXPIRES_AT,
  LIVE_ITEMS_FILTER,
  PARTITION_KEY,
  SORT_KEY,
  epochSeconds,
  isLive,
  itemKey,
  numberAttribute,
  readNumber,
  readString,
} from './dynamodb-item.ts';
import type { DynamoDbTableOptions } from './dynamodb-table-options.ts';

/** Its table is the Counters table. */
export type DynamoDbRollupStoreOptions = DynamoDbTableOptions;

// Item layout in the Counters table (docs/INFRA-CONTRACT.md): pk = rollup#<granularity>#<window
// start ISO>#<dimension>, sk = the group's key, one number attribute per metric, windowStart and
// computedAt (N, epoch ms), expiresAt. One Query lists a dimension's groups in a window; the
// analytics function itself only needs UpdateItem and GetItem. Checkpoints: pk =
// rollup-checkpoint#<name>, sk = CHECKPOINT, reached (N, epoch ms).
const ROLLUP_PREFIX = 'rollup#';
const CHECKPOINT_PREFIX = 'rollup-checkpoint#';
const CHECKPOINT_SORT = 'CHECKPOINT';
const REACHED = 'reached';
const COMPUTED_AT = 'computedAt';
const WINDOW_START = 'windowStart';
const METRIC_NAMES = [
  'requests',
  'errors',
  'promptTokens',
  'completionTokens',
  'cachedTokens',
  'cost',
  'cacheHits',
  'latencySumMs',
  'latencyP50Ms',
  'latencyP90Ms',
  'latencyP99Ms',
] as const satisfies readonly (keyof RollupMetrics)[];

function partitionOf(granularity: RollupGranularity, windowStart: number, dimension: RollupDimension): string {
  return `${ROLLUP_PREFIX}${granularity}#${new Date(windowStart).toISOString()}#${dimension}`;
}

function toRow(item: DynamoItem, granularity: RollupGranularity, windowStart: number, dimension: RollupDimension): RollupRow | undefined {
  const key = readString(item, SORT_KEY);
  if (key === undefined) return undefined;
  const metrics = Object.fromEntries(METRIC_NAMES.map((name) => [name, readNumber(item, name) ?? 0])) as unknown as RollupMetrics;
  return { granularity, windowStart, dimension, key, metrics };
}

/**
 * The RollupStore on the Counters table. `put` is one UpdateItem that SETs every figure (no
 * ADD), conditional on `computedAt` so a slow run never overwrites what a later run computed;
 * the checkpoint only moves forward, by condition.
 */
export function createDynamoDbRollupStore(options: DynamoDbRollupStoreOptions): RollupStore {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => Date.now() };

  return {
    async put(row, writeOptions) {
      const names: Record<string, string> = { '#computedAt': COMPUTED_AT, '#windowStart': WINDOW_START, '#expiresAt': EXPIRES_AT };
      const values: DynamoItem = {
        ':computedAt': numberAttribute(writeOptions.computedAt),
        ':windowStart': numberAttribute(row.windowStart),
        ':expiresAt': numberAttribute(writeOptions.expiresAt),
      };
      const sets = ['#computedAt = :computedAt', '#windowStart = :windowStart', '#expiresAt = :expiresAt'];
      for (const [index, name] of METRIC_NAMES.entries()) {
        names[`#m${index}`] = name;
        values[`:m${index}`] = numberAttribute(row.metrics[name]);
        sets.push(`#m${index} = :m${index}`);
      }
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: itemKey(partitionOf(row.granularity, row.windowStart, row.dimension), row.key),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_not_exists(#computedAt) OR #computedAt <= :computedAt',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        // A later run already wrote this row: its figures stand.
        if (isConditionalCheckFailed(error)) return;
        throw storeUnavailable('counter', error);
      }
    },

    async list(granularity, windowStart, dimension) {
      const rows: RollupRow[] = [];
      let start: DynamoItem | undefined;
      try {
        do {
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: '#pk = :pk',
              FilterExpression: LIVE_ITEMS_FILTER,
              ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#expiresAt': EXPIRES_AT },
              ExpressionAttributeValues: { ':pk': { S: partitionOf(granularity, windowStart, dimension) }, ':now': numberAttribute(epochSeconds(clock)) },
              ...(start === undefined ? {} : { ExclusiveStartKey: start }),
            }),
          );
          for (const item of result.Items ?? []) {
            const row = toRow(item, granularity, windowStart, dimension);
            if (row !== undefined) rows.push(row);
          }
          start = result.LastEvaluatedKey;
        } while (start !== undefined);
      } catch (error) {
        throw storeUnavailable('counter', error);
      }
      return rows;
    },

    async readCheckpoint(name) {
      try {
        const result = await client.send(
          new GetItemCommand({ TableName: tableName, Key: itemKey(`${CHECKPOINT_PREFIX}${name}`, CHECKPOINT_SORT), ConsistentRead: true }),
        );
        if (result.Item === undefined || !isLive(result.Item, epochSeconds(clock))) return undefined;
        return readNumber(result.Item, REACHED);
      } catch (error) {
        throw storeUnavailable('counter', error);
      }
    },

    async advanceCheckpoint(name, to) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: itemKey(`${CHECKPOINT_PREFIX}${name}`, CHECKPOINT_SORT),
            UpdateExpression: 'SET #reached = :to',
            ConditionExpression: 'attribute_not_exists(#reached) OR #reached < :to',
            ExpressionAttributeNames: { '#reached': REACHED },
            ExpressionAttributeValues: { ':to': numberAttribute(to) },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw storeUnavailable('counter', error);
      }
    },
  };
}
