import { afterAll, beforeAll } from 'vitest';
import { createDynamoDbCacheStore } from '../../../../shared/src/adapters/aws/dynamodb-cache-store.ts';
import { describeCacheStoreContract } from '../../../contract/cache-store.contract.ts';
import { type TestDynamo, startTestDynamo } from '../../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describeCacheStoreContract('DynamoDB CacheStore on dynalite', (clock) =>
  createDynamoDbCacheStore({ client: dynamo.client, tableName: dynamo.tables.cache, clock }),
);
