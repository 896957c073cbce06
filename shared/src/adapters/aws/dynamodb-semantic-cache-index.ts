import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import type { SemanticBucket, SemanticCacheIndex, SemanticIndexEntry } from '../../ports/semantic-cache-index.ts';
import { storeUnavailable } from './dynamodb-errors.ts';
import {
  type DynamoItem,
  EXPIRES_AT,
  LIVE_ITEMS_FILTER,
  PARTITION_KEY,
  SORT_KEY,
  epochSeconds,
  itemKey,
  numberAttribute,
  pageLimit,
  readBinary,
  readNumber,
  readString,
} from './dynamodb-item.ts';
import type { DynamoDbTableOptions } from './dynamodb-table-options.ts';

/** Its table is the Cache table: index entries live beside the responses they point to. */
export type DynamoDbSemanticCacheIndexOptions = DynamoDbTableOptions;

// Expired entries are filtered after the read, so a bucket may take a few pages to fill a limit.
const MAX_PAGES = 5;

/** pk = SEMANTIC#<workspace>#<model>#<parameters hash>#<bucket>, each part escaped so `#` cannot blur them. */
function bucketPartition(bucket: SemanticBucket): string {
  const parts = [bucket.workspaceId, bucket.model, bucket.parametersHash, bucket.bucket];
  return `SEMANTIC#${parts.map(encodeURIComponent).join('#')}`;
}

/** Little-endian float32 bytes, the same on every platform Lambda runs on. */
function embeddingBytes(embedding: Float32Array): Uint8Array {
  const bytes = new Uint8Array(embedding.length * 4);
  const view = new DataView(bytes.buffer);
  embedding.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytes;
}

function embeddingFromBytes(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const embedding = new Float32Array(Math.floor(bytes.byteLength / 4));
  for (let index = 0; index < embedding.length; index++) embedding[index] = view.getFloat32(index * 4, true);
  return embedding;
}

function toEntry(item: DynamoItem): SemanticIndexEntry | undefined {
  const cacheKey = readString(item, SORT_KEY);
  const bytes = readBinary(item, 'embedding');
  const expiresAt = readNumber(item, EXPIRES_AT);
  if (cacheKey === undefined || bytes === undefined || expiresAt === undefined) return undefined;
  return { cacheKey, embedding: embeddingFromBytes(bytes), expiresAt };
}

/** The semantic cache's LSH index on the Cache table: one item per (bucket, cache key). */
export function createDynamoDbSemanticCacheIndex(options: DynamoDbSemanticCacheIndexOptions): SemanticCacheIndex {
  const { client, tableName } = options;
  const clock = options.clock ?? { now: () => Date.now() };

  return {
    async add(bucket, entry) {
      if (entry.cacheKey === '') throw new RangeError('A semantic index entry needs a cache key.');
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...itemKey(bucketPartition(bucket), entry.cacheKey),
              embedding: { B: embeddingBytes(entry.embedding) },
              [EXPIRES_AT]: numberAttribute(entry.expiresAt),
            },
          }),
        );
      } catch (error) {
        throw storeUnavailable('cache', error);
      }
    },

    async entries(bucket, limit) {
      const wanted = pageLimit(limit, 50, 1000);
      const entries: SemanticIndexEntry[] = [];
      let start: DynamoItem | undefined;
      try {
        for (let page = 0; page < MAX_PAGES && entries.length < wanted; page++) {
          const result = await client.send(
            new QueryCommand({
              TableName: tableName,
              KeyConditionExpression: '#pk = :bucket',
              FilterExpression: LIVE_ITEMS_FILTER,
              ExpressionAttributeNames: { '#pk': PARTITION_KEY, '#expiresAt': EXPIRES_AT },
              ExpressionAttributeValues: { ':bucket': { S: bucketPartition(bucket) }, ':now': numberAttribute(epochSeconds(clock)) },
              Limit: wanted - entries.length,
              ...(start === undefined ? {} : { ExclusiveStartKey: start }),
            }),
          );
          for (const item of result.Items ?? []) {
            const entry = toEntry(item);
            if (entry !== undefined) entries.push(entry);
          }
          start = result.LastEvaluatedKey;
          if (start === undefined) break;
        }
      } catch (error) {
        throw storeUnavailable('cache', error);
      }
      return entries;
    },
  };
}
