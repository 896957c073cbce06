import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoDbClient } from '../../shared/src/adapters/aws/dynamodb-client.ts';
import { createTurnpikeTables } from '../../shared/src/adapters/aws/create-turnpike-tables.ts';
import type { TurnpikeTableNames } from '../../shared/src/adapters/aws/turnpike-tables.ts';
import { startDynalite } from '../../shared/src/adapters/local/start-dynalite.ts';

export interface TestDynamo {
  client: DynamoDBClient;
  tables: TurnpikeTableNames;
  endpoint: string;
  close(): Promise<void>;
}

export const TEST_TABLES: TurnpikeTableNames = {
  control: 'test-control',
  counters: 'test-counters',
  cache: 'test-cache',
  logs: 'test-logs',
};

/** dynalite in memory on a free loopback port, with the Turnpike tables created. One per test file. */
export async function startTestDynamo(path?: string): Promise<TestDynamo> {
  const dynamo = await startDynalite(path === undefined ? {} : { path });
  const client = createDynamoDbClient({ endpoint: dynamo.endpoint });
  await createTurnpikeTables(client, TEST_TABLES, { pollMs: 5 });
  return {
    client,
    tables: TEST_TABLES,
    endpoint: dynamo.endpoint,
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}
