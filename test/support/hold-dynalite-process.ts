import { createDynamoDbClient } from '../../shared/src/adapters/aws/dynamodb-client.ts';
import { createDynamoDbStores } from '../../shared/src/adapters/aws/dynamodb-stores.ts';
import { createTurnpikeTables } from '../../shared/src/adapters/aws/create-turnpike-tables.ts';
import { startDynaliteProcess } from '../../shared/src/adapters/local/start-dynalite-process.ts';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import { TEST_TABLES } from './start-test-dynamo.ts';

/**
 * Run by test/unit/adapters/local/start-dynalite-process.test.ts as a parent for the test to
 * kill: starts the database process on the folder in argv, adds 42 to the counter named in
 * argv, prints `{"pid":…}` (the database's) and waits, never closing the database itself.
 */
const [path, counter] = process.argv.slice(2);
if (path === undefined || counter === undefined) throw new Error('usage: hold-dynalite-process.ts <folder> <counter>');
const dynamo = await startDynaliteProcess({ path });
const client = createDynamoDbClient({ endpoint: dynamo.endpoint });
await createTurnpikeTables(client, TEST_TABLES, { pollMs: 5 });
await createDynamoDbStores(client, TEST_TABLES, systemClock).counters.add(counter, 42, { expiresAt: Math.floor(Date.now() / 1000) + 3600 });
process.stdout.write(`${JSON.stringify({ pid: dynamo.pid })}\n`);
// The database process and the client do not keep this process alive; this does, until it is killed.
setInterval(() => undefined, 60_000);
