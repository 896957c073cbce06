import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { CacheStore, CachedValue } from '../../ports/cache-store.ts';
import { storeUnavailable } from './dynamodb-errors.ts';
import { EXPIRES_AT, epochSeconds, isLive, itemKey, numberAttribute, readBinary, readNumber } from './dynamodb-item.ts';
import type { DynamoDbTableOptions } from './dynamodb-table-options.ts';

export type DynamoDbCacheStoreOptions = DynamoDbTableOptions;

// Item layout: pk = RESPONSE#<key>, sk = RESPONSE, `value` (B), `createdAt` (N ms), `expiresAt` (N s).
const SORT_VALUE = 'RESPONSE';
// DynamoDB items hold at most 400 KB including names and key; leave room for both.
const MAX_VALUE_BYTES = 380 * 1024;
const MAX_KEY_LENGTH = 1024;

function keyOf(key: string) {
  if (key === '' || key.length > MAX_KEY_LENGTH) throw new RangeError(`A cache key must have 1 to ${MAX_KEY_LENGTH} characters.`);
  return itemKey(`RESPONSE#${key}`, SORT_VALUE);
}

/** The exact-match CacheStore on a DynamoDB table; expired entries read as misses. */
export function createDynamoDbCacheStore(options: DynamoDbCacheStoreOptions): CacheStore {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => Date.now() };

  return {
    maxValueBytes: MAX_VALUE_BYTES,

    async get(key): Promise<CachedValue | undefined> {
      const itemKeyValue = keyOf(key);
      let item;
      try {
        item = (await client.send(new GetItemCommand({ TableName: tableName, Key: itemKeyValue }))).Item;
      } catch (error) {
        throw storeUnavailable('cache', error);
      }
      if (item === undefined || !isLive(item, epochSeconds(clock))) return undefined;
      const value = readBinary(item, 'value');
      const expiresAt = readNumber(item, EXPIRES_AT);
      if (value === undefined || expiresAt === undefined) return undefined;
      return { value, createdAt: readNumber(item, 'createdAt') ?? 0, expiresAt };
    },

    async put(key, value, { expiresAt }) {
      const itemKeyValue = keyOf(key);
      if (value.byteLength > MAX_VALUE_BYTES) {
        throw new RangeError(`A cached value may have at most ${MAX_VALUE_BYTES} bytes, got ${value.byteLength}.`);
      }
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...itemKeyValue,
              value: { B: value },
              createdAt: numberAttribute(clock.now()),
              [EXPIRES_AT]: numberAttribute(expiresAt),
            },
          }),
        );
      } catch (error) {
        throw storeUnavailable('cache', error);
      }
    },

    async delete(key) {
      const itemKeyValue = keyOf(key);
      try {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key: itemKeyValue }));
      } catch (error) {
        throw storeUnavailable('cache', error);
      }
    },
  };
}
