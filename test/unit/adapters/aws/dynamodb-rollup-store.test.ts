import { afterAll, beforeAll } from 'vitest';
import { createDynamoDbRollupStore } from '../../../../shared/src/adapters/aws/dynamodb-rollup-store.ts';
import { describeRollupStoreContract } from '../../../contract/rollup-store.contract.ts';
import { type TestDynamo, startTestDynamo } from '../../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describeRollupStoreContract('DynamoDB RollupStore on dynalite', (clock) =>
  createDynamoDbRollupStore({ client: dynamo.client, tableName: dynamo.tables.counters, clock }),
);
