import {
  BatchGetItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type { CounterAddOptions, CounterAddResult, CounterStore } from '../../ports/counter-store.ts';
import { isConditionalCheckFailed, refusedItem, storeUnavailable } from './dynamodb-errors.ts';
import {
  type DynamoItem,
  EXPIRES_AT,
  PARTITION_KEY,
  epochSeconds,
  isLive,
  itemKey,
  numberAttribute,
  readNumber,
  readString,
} from './dynamodb-item.ts';

export interface DynamoDbCounterStoreOptions {
  client: DynamoDBClient;
  tableName: string;
  clock?: Pick<Clock, 'now'>;
}

// Item layout: pk = counter key, sk = COUNTER, `value` (N), `expiresAt` (N).
const SORT_VALUE = 'COUNTER';
const VALUE = 'value';
const NAMES = { '#pk': PARTITION_KEY, '#value': VALUE, '#expiresAt': EXPIRES_AT };
// BatchGetItem takes at most 100 keys per call.
const BATCH_GET_LIMIT = 100;
// Rounds of a conditional add that lost a race to start (or restart) the same counter.
const MAX_ADD_ROUNDS = 5;

function valueOf(item: DynamoItem | undefined, nowSeconds: number): number | undefined {
  if (item === undefined || !isLive(item, nowSeconds)) return undefined;
  return readNumber(item, VALUE) ?? 0;
}

/**
 * The CounterStore on a DynamoDB table. `add` is one UpdateItem `ADD` whose condition holds
 * the ceiling, so concurrent adds never overshoot it. A counter whose `expiresAt` has passed
 * still holds its old value until TTL removes it (dynalite never does): the add refuses it
 * by condition, and the counter is then started afresh with a conditional put.
 */
export function createDynamoDbCounterStore(options: DynamoDbCounterStoreOptions): CounterStore {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => Date.now() };

  async function read(key: string): Promise<DynamoItem | undefined> {
    const result = await client.send(new GetItemCommand({ TableName: tableName, Key: itemKey(key, SORT_VALUE), ConsistentRead: true }));
    return result.Item;
  }

  /** One conditional ADD; the old item when refused (undefined = refused, old item unknown). */
  async function tryAdd(key: string, amount: number, addOptions: CounterAddOptions, nowSeconds: number): Promise<CounterAddResult | { refused: DynamoItem | undefined }> {
    const { ceiling } = addOptions;
    const values: DynamoItem = {
      ':amount': numberAttribute(amount),
      ':expiresAt': numberAttribute(addOptions.expiresAt),
      ':now': numberAttribute(nowSeconds),
    };
    let condition = 'attribute_not_exists(#pk) OR #expiresAt > :now';
    if (ceiling !== undefined) {
      values[':limit'] = numberAttribute(ceiling - amount);
      const live = '#expiresAt > :now AND #value <= :limit';
      // A new counter starts at 0, so it takes the add only when the amount fits by itself.
      condition = amount <= ceiling ? `attribute_not_exists(#pk) OR (${live})` : live;
    }
    try {
      const result = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: itemKey(key, SORT_VALUE),
          UpdateExpression: 'ADD #value :amount SET #expiresAt = :expiresAt',
          ConditionExpression: condition,
          // DynamoDB refuses names an expression does not use.
          ExpressionAttributeNames: condition.includes('#pk') ? NAMES : { '#value': VALUE, '#expiresAt': EXPIRES_AT },
          ExpressionAttributeValues: values,
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { accepted: true, value: readNumber(result.Attributes ?? {}, VALUE) ?? amount };
    } catch (error) {
      if (isConditionalCheckFailed(error)) return { refused: refusedItem(error) };
      throw error;
    }
  }

  /** Start a counter that is absent or expired at `amount`; false when someone else got there first. */
  async function tryStart(key: string, amount: number, addOptions: CounterAddOptions, nowSeconds: number): Promise<boolean> {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...itemKey(key, SORT_VALUE), [VALUE]: numberAttribute(amount), [EXPIRES_AT]: numberAttribute(addOptions.expiresAt) },
          ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#expiresAt': EXPIRES_AT },
          ExpressionAttributeValues: { ':now': numberAttribute(nowSeconds) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionalCheckFailed(error)) return false;
      throw error;
    }
  }

  async function add(key: string, amount: number, addOptions: CounterAddOptions): Promise<CounterAddResult> {
    if (key === '') throw new RangeError('A counter needs a non-empty key.');
    if (!Number.isFinite(amount)) throw new RangeError(`Cannot add ${amount} to a counter.`);
    for (let round = 0; round < MAX_ADD_ROUNDS; round++) {
      const nowSeconds = epochSeconds(clock);
      const outcome = await tryAdd(key, amount, addOptions, nowSeconds);
      if ('accepted' in outcome) return outcome;
      // DynamoDB returns the refused item; dynalite does not, so read it.
      const current = valueOf(outcome.refused ?? (await read(key)), nowSeconds);
      if (current !== undefined) return { accepted: false, value: current };
      // Absent or expired: a refusal of a fresh counter means the amount alone exceeds the ceiling.
      if (addOptions.ceiling !== undefined && amount > addOptions.ceiling) return { accepted: false, value: 0 };
      if (await tryStart(key, amount, addOptions, nowSeconds)) return { accepted: true, value: amount };
    }
    throw new Error(`The counter ${key} kept changing under a conditional add.`);
  }

  return {
    async add(key, amount, addOptions) {
      try {
        return await add(key, amount, addOptions);
      } catch (error) {
        if (error instanceof RangeError) throw error;
        throw storeUnavailable('counter', error);
      }
    },

    async get(key) {
      try {
        return valueOf(await read(key), epochSeconds(clock)) ?? 0;
      } catch (error) {
        throw storeUnavailable('counter', error);
      }
    },

    async getMany(keys) {
      const unique = [...new Set(keys)];
      const values = new Map<string, number>(unique.map((key) => [key, 0]));
      const nowSeconds = epochSeconds(clock);
      try {
        for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) {
          let pending: DynamoItem[] = unique.slice(start, start + BATCH_GET_LIMIT).map((key) => itemKey(key, SORT_VALUE));
          // BatchGetItem may hand back part of the keys unprocessed when throttled; ask again.
          for (let round = 0; pending.length > 0; round++) {
            if (round > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** round, 500)));
            if (round > 8) throw new Error('BatchGetItem kept leaving keys unprocessed.');
            const result = await client.send(
              new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
            );
            for (const item of result.Responses?.[tableName] ?? []) {
              const key = readString(item, PARTITION_KEY);
              if (key !== undefined) values.set(key, valueOf(item, nowSeconds) ?? 0);
            }
            pending = result.UnprocessedKeys?.[tableName]?.Keys ?? [];
          }
        }
      } catch (error) {
        throw storeUnavailable('counter', error);
      }
      return values;
    },
  };
}
