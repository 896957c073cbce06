import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoDbLogStore } from '../../shared/src/adapters/aws/dynamodb-log-store.ts';
import { createDynamoDbRollupStore } from '../../shared/src/adapters/aws/dynamodb-rollup-store.ts';
import { runRollups } from '../../shared/src/analytics/run-rollups.ts';
import { runScheduledAnalytics } from '../../shared/src/engine/plan-analytics-run.ts';
import type { RollupDimension, RollupStore } from '../../shared/src/ports/rollup-store.ts';
import { KNOWN_DAY_ALL, KNOWN_HOUR_ROWS, KNOWN_REQUESTS, logEntry } from '../support/log-entry-fixtures.ts';
import { type TestDynamo, startTestDynamo } from '../support/start-test-dynamo.ts';

const at = (iso: string) => Date.parse(iso);
// Rollup rows expire 90 days after their window: the stores read as of the fixtures' days.
const clock = { now: () => at('2025-03-04T02:05:00Z') };

let dynamo: TestDynamo;
let rollups: RollupStore;
let stores: Parameters<typeof runScheduledAnalytics>[1];

beforeAll(async () => {
  dynamo = await startTestDynamo();
  const logs = createDynamoDbLogStore({ client: dynamo.client, tableName: dynamo.tables.logs });
  // Bodies are stored with every log; the rollup must read past them.
  for (const [index, request] of KNOWN_REQUESTS.entries()) await logs.put({ ...logEntry(request, index), bodies: new Uint8Array(2048).fill(7) });
  rollups = createDynamoDbRollupStore({ client: dynamo.client, tableName: dynamo.tables.counters, clock });
  stores = { logs, rollups, clock };
});
afterAll(() => dynamo.close());

async function snapshot(windowStart: number) {
  const result: Record<string, unknown> = {};
  for (const dimension of Object.keys(KNOWN_HOUR_ROWS) as RollupDimension[]) {
    result[dimension] = (await rollups.list('hour', windowStart, dimension)).map(({ key, metrics }) => ({ key, metrics }));
  }
  return result;
}

describe('analytics rollups on the local DynamoDB', () => {
  it('rolls a known set of logs up into the exact expected numbers, twice in a row', async () => {
    const event = { time: '2025-03-04T02:05:00Z', 'detail-type': 'Scheduled Event' };
    const first = await runScheduledAnalytics(event, stores, { windowMinutes: 60 });
    expect(first.rollups).toMatchObject({ hours: ['2025-03-04T00:00:00.000Z', '2025-03-04T01:00:00.000Z'], checkpoint: '2025-03-04T01:00:00.000Z', complete: true });
    expect(await snapshot(at('2025-03-04T00:00:00Z'))).toEqual(KNOWN_HOUR_ROWS);

    const second = await runScheduledAnalytics(event, stores, { windowMinutes: 60 });
    expect(second.rollups.checkpoint).toBe('2025-03-04T01:00:00.000Z');
    expect(await snapshot(at('2025-03-04T00:00:00Z'))).toEqual(KNOWN_HOUR_ROWS);
  });

  it('rolls the previous day up from its raw logs when a backfill passes its last hour', async () => {
    await runRollups({ logs: stores.logs, rollups, windowEnd: at('2025-03-04T02:00:00Z'), now: clock.now(), from: at('2025-03-03T23:00:00Z') });
    expect((await rollups.list('day', at('2025-03-03T00:00:00Z'), 'all')).map((row) => row.metrics)).toEqual([KNOWN_DAY_ALL]);
    expect(await snapshot(at('2025-03-04T00:00:00Z'))).toEqual(KNOWN_HOUR_ROWS);
  });
});
