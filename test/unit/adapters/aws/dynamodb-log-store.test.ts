import { afterAll, beforeAll } from 'vitest';
import { createDynamoDbLogStore } from '../../../../shared/src/adapters/aws/dynamodb-log-store.ts';
import { describeLogStoreContract } from '../../../contract/log-store.contract.ts';
import { type TestDynamo, startTestDynamo } from '../../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describeLogStoreContract('DynamoDB LogStore on dynalite', (clock) =>
  createDynamoDbLogStore({ client: dynamo.client, tableName: dynamo.tables.logs, clock }),
);
