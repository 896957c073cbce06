import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { isJsonObject, type JsonObject } from '../../core/json.ts';
import type { ControlItem, ControlItemInput, ControlListOptions, ControlStore } from '../../ports/control-store.ts';
import type { Page } from '../../ports/page.ts';
import { decodeCursor, encodeCursor } from './dynamodb-cursor.ts';
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
  pageLimit,
  readNumber,
  readString,
} from './dynamodb-item.ts';
import type { DynamoDbTableOptions } from './dynamodb-table-options.ts';

export type DynamoDbControlStoreOptions = DynamoDbTableOptions;

// Item layout: pk = kind, sk = id, so one Query lists a kind (by id prefix) with no index.
const NAMES = {
  '#pk': PARTITION_KEY,
  '#data': 'data',
  '#version': 'version',
  '#createdAt': 'createdAt',
  '#updatedAt': 'updatedAt',
  '#expiresAt': EXPIRES_AT,
};

function checkKey(kind: string, id: string): void {
  if (kind === '' || id === '') throw new RangeError('A control item needs a non-empty kind and id.');
}

function toItem(raw: DynamoItem): ControlItem | undefined {
  const kind = readString(raw, PARTITION_KEY);
  const id = readString(raw, SORT_KEY);
  const dataText = readString(raw, 'data');
  const version = readNumber(raw, 'version');
  if (kind === undefined || id === undefined || dataText === undefined || version === undefined) return undefined;
  const data: unknown = JSON.parse(dataText);
  if (!isJsonObject(data)) return undefined;
  const item: ControlItem = {
    kind,
    id,
    data,
    version,
    createdAt: readNumber(raw, 'createdAt') ?? 0,
    updatedAt: readNumber(raw, 'updatedAt') ?? 0,
  };
  const expiresAt = readNumber(raw, EXPIRES_AT);
  if (expiresAt !== undefined) item.expiresAt = expiresAt;
  return item;
}

function dataAttribute(data: JsonObject): { S: string } {
  // Stored as JSON text: exact round trips (no number or empty-value rewriting), and the
  // store never needs to look inside.
  return { S: JSON.stringify(data) };
}

/**
 * The ControlStore on a DynamoDB table (pk = kind, sk = id). Writes are single-item
 * conditional writes; a refused condition is an answer (undefined / false), not an error.
 */
export function createDynamoDbControlStore(options: DynamoDbControlStoreOptions): ControlStore {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => Date.now() };

  async function run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw storeUnavailable('control', error);
    }
  }

  return {
    async get(kind, id) {
      checkKey(kind, id);
      const result = await run(() => client.send(new GetItemCommand({ TableName: tableName, Key: itemKey(kind, id) })));
      if (result.Item === undefined || !isLive(result.Item, epochSeconds(clock))) return undefined;
      return toItem(result.Item);
    },

    async putIfAbsent(input: ControlItemInput) {
      checkKey(input.kind, input.id);
      const now = clock.now();
      const item: ControlItem = { ...input, version: 1, createdAt: now, updatedAt: now };
      const raw: DynamoItem = {
        ...itemKey(input.kind, input.id),
        data: dataAttribute(input.data),
        version: numberAttribute(1),
        createdAt: numberAttribute(now),
        updatedAt: numberAttribute(now),
      };
      if (input.expiresAt !== undefined) raw[EXPIRES_AT] = numberAttribute(input.expiresAt);
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: raw,
            // An expired leftover (TTL not yet swept) does not block a new item with its id.
            ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt <= :now',
            ExpressionAttributeNames: { '#pk': NAMES['#pk'], '#expiresAt': EXPIRES_AT },
            ExpressionAttributeValues: { ':now': numberAttribute(epochSeconds(clock)) },
          }),
        );
        return item;
      } catch (error) {
        if (isConditionalCheckFailed(error)) return undefined;
        throw storeUnavailable('control', error);
      }
    },

    async putIfVersion(input, expectedVersion) {
      checkKey(input.kind, input.id);
      const set = ['#data = :data', '#version = :next', '#updatedAt = :updatedAt'];
      if (input.expiresAt !== undefined) set.push('#expiresAt = :expiresAt');
      const values: DynamoItem = {
        ':data': dataAttribute(input.data),
        ':next': numberAttribute(expectedVersion + 1),
        ':expected': numberAttribute(expectedVersion),
        ':updatedAt': numberAttribute(clock.now()),
        ':now': numberAttribute(epochSeconds(clock)),
      };
      if (input.expiresAt !== undefined) values[':expiresAt'] = numberAttribute(input.expiresAt);
      try {
        const result = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: itemKey(input.kind, input.id),
            UpdateExpression: `SET ${set.join(', ')}${input.expiresAt === undefined ? ' REMOVE #expiresAt' : ''}`,
            ConditionExpression: `#version = :expected AND (${LIVE_ITEMS_FILTER})`,
            ExpressionAttributeNames: {
              '#data': NAMES['#data'],
              '#version': NAMES['#version'],
              '#updatedAt': NAMES['#updatedAt'],
              '#expiresAt': EXPIRES_AT,
            },
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return result.Attributes === undefined ? undefined : toItem(result.Attributes);
      } catch (error) {
        if (isConditionalCheckFailed(error)) return undefined;
        throw storeUnavailable('control', error);
      }
    },

    async delete(kind, id, expectedVersion) {
      checkKey(kind, id);
      const versioned = expectedVersion !== undefined;
      try {
        const result = await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: itemKey(kind, id),
            ConditionExpression: versioned ? 'attribute_exists(#pk) AND #version = :expected' : 'attribute_exists(#pk)',
            ExpressionAttributeNames: versioned ? { '#pk': NAMES['#pk'], '#version': NAMES['#version'] } : { '#pk': NAMES['#pk'] },
            ...(versioned ? { ExpressionAttributeValues: { ':expected': numberAttribute(expectedVersion) } } : {}),
            ReturnValues: 'ALL_OLD',
          }),
        );
        // Deleting an expired leftover cleans it up, but it was already gone for readers.
        return result.Attributes !== undefined && isLive(result.Attributes, epochSeconds(clock));
      } catch (error) {
        if (isConditionalCheckFailed(error)) return false;
        throw storeUnavailable('control', error);
      }
    },

    async list(kind, listOptions: ControlListOptions = {}): Promise<Page<ControlItem>> {
      if (kind === '') throw new RangeError('A control listing needs a kind.');
      const prefix = listOptions.idPrefix;
      const start =
        listOptions.cursor === undefined ? undefined : decodeCursor(listOptions.cursor, [PARTITION_KEY, SORT_KEY], { [PARTITION_KEY]: kind }).key;
      const values: DynamoItem = { ':kind': { S: kind }, ':now': numberAttribute(epochSeconds(clock)) };
      if (prefix !== undefined && prefix !== '') values[':prefix'] = { S: prefix };
      const result = await run(() =>
        client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: values[':prefix'] === undefined ? '#pk = :kind' : '#pk = :kind AND begins_with(#sk, :prefix)',
            FilterExpression: LIVE_ITEMS_FILTER,
            ExpressionAttributeNames: {
              '#pk': PARTITION_KEY,
              ...(values[':prefix'] === undefined ? {} : { '#sk': SORT_KEY }),
              '#expiresAt': EXPIRES_AT,
            },
            ExpressionAttributeValues: values,
            Limit: pageLimit(listOptions.limit, 50, 1000),
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          }),
        ),
      );
      const items = (result.Items ?? []).map(toItem).filter((item): item is ControlItem => item !== undefined);
      return { items, cursor: result.LastEvaluatedKey === undefined ? undefined : encodeCursor(result.LastEvaluatedKey) };
    },
  };
}
