import type { CreateTableCommandInput, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';
import { PARTITION_KEY, SORT_KEY } from './dynamodb-item.ts';

/** The four tables' names: from the stack's environment on AWS, fixed names locally. */
export interface TurnpikeTableNames {
  control: string;
  counters: string;
  cache: string;
  logs: string;
}

/** The Logs table's global secondary indexes, all sorted by `createdAt` (ISO-8601 text). */
export const LOG_INDEXES = {
  byApiKey: { name: 'byApiKey', partition: 'apiKeyId' },
  byWorkspace: { name: 'byWorkspace', partition: 'workspaceId' },
  byDay: { name: 'byDay', partition: 'day' },
} as const;
export const LOG_INDEX_SORT_KEY = 'createdAt';

function logIndex(index: { name: string; partition: string }): GlobalSecondaryIndex {
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partition, KeyType: 'HASH' },
      { AttributeName: LOG_INDEX_SORT_KEY, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  };
}

function table(name: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: PARTITION_KEY, KeyType: 'HASH' },
      { AttributeName: SORT_KEY, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [
      { AttributeName: PARTITION_KEY, AttributeType: 'S' },
      { AttributeName: SORT_KEY, AttributeType: 'S' },
      ...(extra.AttributeDefinitions ?? []),
    ],
    ...(extra.GlobalSecondaryIndexes === undefined ? {} : { GlobalSecondaryIndexes: extra.GlobalSecondaryIndexes }),
  };
}

/**
 * CreateTable requests with the key schema and indexes the CDK stack declares
 * (docs/INFRA-CONTRACT.md is where both sides agree). Used to create the local tables;
 * on AWS the stack owns them.
 */
export function turnpikeTableDefinitions(names: TurnpikeTableNames): CreateTableCommandInput[] {
  const indexes = Object.values(LOG_INDEXES);
  return [
    table(names.control),
    table(names.counters),
    table(names.cache),
    table(names.logs, {
      AttributeDefinitions: [
        ...indexes.map((index) => ({ AttributeName: index.partition, AttributeType: 'S' as const })),
        { AttributeName: LOG_INDEX_SORT_KEY, AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: indexes.map(logIndex),
    }),
  ];
}
