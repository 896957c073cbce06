import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { type TurnpikeTableNames, turnpikeTableDefinitions } from './turnpike-tables.ts';

export interface CreateTablesOptions {
  /** How often to ask whether a new table is ready. @default 25 */
  pollMs?: number;
  /** Give up waiting after this long. @default 30_000 */
  timeoutMs?: number;
}

function isReady(table: TableDescription | undefined): boolean {
  if (table?.TableStatus !== 'ACTIVE') return false;
  return (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === 'ACTIVE');
}

async function describe(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Create whichever Turnpike tables do not exist yet and wait until all are ACTIVE (a new
 * table answers CREATING first, on dynalite as on DynamoDB). Tables that exist are left as
 * they are. Meant for local mode: on AWS the CDK stack creates the tables.
 */
export async function createTurnpikeTables(client: DynamoDBClient, names: TurnpikeTableNames, options: CreateTablesOptions = {}): Promise<void> {
  const pollMs = options.pollMs ?? 25;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  await Promise.all(
    turnpikeTableDefinitions(names).map(async (definition) => {
      const name = definition.TableName ?? '';
      let table = await describe(client, name);
      if (table === undefined) {
        try {
          table = (await client.send(new CreateTableCommand(definition))).TableDescription;
        } catch (error) {
          // Another process created it between the two calls.
          if (!(error instanceof ResourceInUseException)) throw error;
        }
      }
      while (!isReady(table)) {
        if (Date.now() > deadline) throw new Error(`The table ${name} did not become ACTIVE in time.`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
        table = await describe(client, name);
      }
    }),
  );
}
