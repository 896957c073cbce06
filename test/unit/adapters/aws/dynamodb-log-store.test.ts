import { BatchWriteItemCommand, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../../shared/src/adapters/aws/dynamodb-client.ts';
import { createDynamoDbLogStore } from '../../../../shared/src/adapters/aws/dynamodb-log-store.ts';
import type { LogEntry } from '../../../../shared/src/ports/log-store.ts';
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

describe('DynamoDB LogStore batches on DynamoDB itself', () => {
  const entry = (n: number): LogEntry => ({ traceId: `t${n}`, requestId: `r${n}`, createdAt: Date.UTC(2030, 0, 1, 0, 0, n), expiresAt: 4_000_000_000, data: { n } });
  const keyOf = (n: number) => ({ pk: { S: `TRACE#t${n}` }, sk: { S: `${new Date(entry(n).createdAt).toISOString()}#r${n}` } });

  function mockedStore() {
    const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:9' });
    return { client, mock: mockClient(client), store: createDynamoDbLogStore({ client, tableName: 'logs' }) };
  }

  it('hands back the entries DynamoDB left unprocessed, and only those', async () => {
    const { client, mock, store } = mockedStore();
    mock.on(BatchWriteItemCommand).callsFake((input: { RequestItems: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> }) => {
      const requests = input.RequestItems.logs ?? [];
      // Throttled: the second and fourth come back as they were sent.
      return { UnprocessedItems: { logs: [requests[1], requests[3]] } };
    });
    const batch = [0, 1, 2, 3, 4].map(entry);
    expect(await store.putBatch(batch)).toEqual([batch[1], batch[3]]);
    const sent = mock.commandCalls(BatchWriteItemCommand)[0]?.args[0].input.RequestItems?.logs ?? [];
    expect(sent.map((request) => request.PutRequest?.Item?.pk)).toEqual(batch.map((_, n) => keyOf(n).pk));
    expect(sent[2]?.PutRequest?.Item).toMatchObject({ ...keyOf(2), createdAt: { S: '2030-01-01T00:00:02.000Z' }, day: { S: '2030-01-01' }, data: { S: '{"n":2}' } });
    client.destroy();
  });

  it('fails the whole call when DynamoDB refuses it or names an item that was not sent', async () => {
    const { client, mock, store } = mockedStore();
    mock.on(BatchWriteItemCommand).rejectsOnce(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    await expect(store.putBatch([entry(1)])).rejects.toMatchObject({ status: 503, code: 'store_unavailable' });
    mock.on(BatchWriteItemCommand).resolves({ UnprocessedItems: { logs: [{ PutRequest: { Item: keyOf(9) } }] } });
    await expect(store.putBatch([entry(1)])).rejects.toMatchObject({ status: 503, code: 'store_unavailable' });
    client.destroy();
  });
});
