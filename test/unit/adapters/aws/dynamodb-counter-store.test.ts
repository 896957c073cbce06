import { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbClient } from '../../../../shared/src/adapters/aws/dynamodb-client.ts';
import { createDynamoDbCounterStore } from '../../../../shared/src/adapters/aws/dynamodb-counter-store.ts';
import { describeCounterStoreContract } from '../../../contract/counter-store.contract.ts';
import { type TestDynamo, startTestDynamo } from '../../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describeCounterStoreContract('DynamoDB CounterStore on dynalite', (clock) =>
  createDynamoDbCounterStore({ client: dynamo.client, tableName: dynamo.tables.counters, clock }),
);

/** A store whose every UpdateItem DynamoDB refuses, returning `item` as it stood (ALL_OLD). */
function storeRefusingWith(item: Record<string, { S: string } | { N: string }>) {
  const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:9' });
  const mock = mockClient(client);
  mock.on(UpdateItemCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: item }));
  return { client, mock, store: createDynamoDbCounterStore({ client, tableName: 'counters' }) };
}

describe('DynamoDB CounterStore refusals on DynamoDB itself', () => {
  it('takes the refused value from the failed write (ALL_OLD) instead of reading it again', async () => {
    const { client, mock, store } = storeRefusingWith({ pk: { S: 'k' }, sk: { S: 'COUNTER' }, value: { N: '10' }, expiresAt: { N: '4000000000' } });
    expect(await store.add('k', 1, { ceiling: 10, expiresAt: 4_000_000_000 })).toEqual({ accepted: false, value: 10 });
    expect(mock.commandCalls(GetItemCommand)).toHaveLength(0);
    const update = mock.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(update).toMatchObject({
      UpdateExpression: 'ADD #value :amount SET #expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt > :now AND #value <= :limit',
      ExpressionAttributeValues: { ':amount': { N: '1' }, ':limit': { N: '9' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    client.destroy();
  });

  it('reserves with a hold in one UpdateItem that returns every slot of the item', async () => {
    const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:9' });
    const mock = mockClient(client);
    mock.on(UpdateItemCommand).resolves({
      Attributes: { pk: { S: 'k' }, sk: { S: 'COUNTER' }, value: { N: '3.5' }, expiresAt: { N: '4000000000' }, hold_1200: { N: '0' }, hold_1500: { N: '0.5' } },
    });
    const store = createDynamoDbCounterStore({ client, tableName: 'counters' });
    const result = await store.add('k', 0.5, { ceiling: 10, expiresAt: 4_000_000_000, holdSlot: 1500 });
    expect(result).toEqual({
      accepted: true,
      value: 3.5,
      holds: [
        { slot: 1200, amount: 0, exact: '0' },
        { slot: 1500, amount: 0.5, exact: '0.5' },
      ],
    });
    expect(mock.calls()).toHaveLength(1);
    expect(mock.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'ADD #value :amount, #hold :amount SET #expiresAt = :expiresAt',
      ExpressionAttributeNames: { '#hold': 'hold_1500' },
      ExpressionAttributeValues: { ':amount': { N: '0.5' } },
      ReturnValues: 'ALL_NEW',
    });
    client.destroy();
  });

  it('reserves a rate window\'s requests and tokens in one UpdateItem with both ceilings in its condition', async () => {
    const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:9' });
    const mock = mockClient(client);
    mock.on(UpdateItemCommand).resolves({ Attributes: { requests: { N: '3' }, tokens: { N: '700' }, expiresAt: { N: '4000000000' } } });
    const store = createDynamoDbCounterStore({ client, tableName: 'counters' });
    const fields = [{ name: 'requests', amount: 1, ceiling: 10 }, { name: 'tokens', amount: 300, ceiling: 1000 }];
    expect(await store.addFields('rate#key:k#60', fields, { expiresAt: 4_000_000_000 })).toEqual({ accepted: true, values: { requests: 3, tokens: 700 }, over: [] });
    expect(mock.calls()).toHaveLength(1);
    expect(mock.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'ADD #f0 :a0, #f1 :a1 SET #expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(#pk) OR #expiresAt > :now AND #f0 <= :l0 AND #f1 <= :l1',
      ExpressionAttributeNames: { '#f0': 'requests', '#f1': 'tokens' },
      ExpressionAttributeValues: { ':a0': { N: '1' }, ':a1': { N: '300' }, ':l0': { N: '9' }, ':l1': { N: '700' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    client.destroy();
  });

  it('names the fields over their ceiling from the refused item (ALL_OLD) without reading it again', async () => {
    const { client, mock, store } = storeRefusingWith({ pk: { S: 'k' }, sk: { S: 'COUNTER' }, requests: { N: '4' }, tokens: { N: '950' }, expiresAt: { N: '4000000000' } });
    const fields = [{ name: 'requests', amount: 1, ceiling: 10 }, { name: 'tokens', amount: 100, ceiling: 1000 }];
    expect(await store.addFields('k', fields, { expiresAt: 4_000_000_000 })).toEqual({ accepted: false, values: { requests: 4, tokens: 950 }, over: ['tokens'] });
    expect(mock.commandCalls(GetItemCommand)).toHaveLength(0);
    client.destroy();
  });

  it('settles merged reservations with the exact decimal sums, digits a float would lose included', async () => {
    const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:9' });
    const mock = mockClient(client);
    mock.on(UpdateItemCommand).resolves({ Attributes: { value: { N: '0.5' } } });
    const store = createDynamoDbCounterStore({ client, tableName: 'counters' });
    expect(await store.settleHold('k', { slot: 1200, reserved: '0.3000000000000000001', actual: '0.1', expiresAt: 4_000_000_000 })).toEqual({ value: 0.5, held: true });
    expect(mock.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'ADD #value :delta, #hold :release SET #expiresAt = :expiresAt',
      ExpressionAttributeValues: { ':delta': { N: '-0.2000000000000000001' }, ':release': { N: '-0.3000000000000000001' } },
    });
    client.destroy();
  });

  it('releases a slot only while it holds the very decimal it was seen with', async () => {
    const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:9' });
    const mock = mockClient(client);
    mock.on(UpdateItemCommand).resolves({});
    const store = createDynamoDbCounterStore({ client, tableName: 'counters' });
    // More digits than a float keeps: the condition must compare the stored decimal itself.
    expect(await store.releaseHold('k', { slot: 1200, amount: 0.0062, exact: '0.0062000000000000006' })).toBe(true);
    expect(mock.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      UpdateExpression: 'ADD #value :giveBack REMOVE #hold',
      ConditionExpression: '#hold = :observed',
      ExpressionAttributeNames: { '#value': 'value', '#hold': 'hold_1200' },
      ExpressionAttributeValues: { ':observed': { N: '0.0062000000000000006' }, ':giveBack': { N: '-0.0062000000000000006' } },
    });
    client.destroy();
  });

  it('reports throttling that outlasted the SDK retries as a 503 store_unavailable', async () => {
    const client = createDynamoDbClient({ endpoint: 'http://127.0.0.1:9' });
    mockClient(client).on(GetItemCommand).rejects(Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), { name: 'ProvisionedThroughputExceededException' }));
    const store = createDynamoDbCounterStore({ client, tableName: 'counters' });
    await expect(store.get('k')).rejects.toMatchObject({ status: 503, code: 'store_unavailable', message: expect.not.stringContaining('counters') });
    client.destroy();
  });
});
