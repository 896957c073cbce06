import { afterAll, beforeAll } from 'vitest';
import { createDynamoDbSemanticCacheIndex } from '../../../../shared/src/adapters/aws/dynamodb-semantic-cache-index.ts';
import { describeSemanticCacheIndexContract } from '../../../contract/semantic-cache-index.contract.ts';
import { type TestDynamo, startTestDynamo } from '../../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describeSemanticCacheIndexContract('DynamoDB SemanticCacheIndex on dynalite', (clock) =>
  createDynamoDbSemanticCacheIndex({ client: dynamo.client, tableName: dynamo.tables.cache, clock }),
);
