import { afterAll, beforeAll } from 'vitest';
import { createDynamoDbControlStore } from '../../../../shared/src/adapters/aws/dynamodb-control-store.ts';
import { describeControlStoreContract } from '../../../contract/control-store.contract.ts';
import { type TestDynamo, startTestDynamo } from '../../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describeControlStoreContract('DynamoDB ControlStore on dynalite', (clock) =>
  createDynamoDbControlStore({ client: dynamo.client, tableName: dynamo.tables.control, clock }),
);
