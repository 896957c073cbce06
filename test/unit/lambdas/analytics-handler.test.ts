import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDynamoDbLogStore } from '../../../shared/src/adapters/aws/dynamodb-log-store.ts';
import { createDynamoDbRollupStore } from '../../../shared/src/adapters/aws/dynamodb-rollup-store.ts';
import { KNOWN_REQUESTS, logEntry } from '../../support/log-entry-fixtures.ts';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
  const logs = createDynamoDbLogStore({ client: dynamo.client, tableName: dynamo.tables.logs });
  for (const [index, request] of KNOWN_REQUESTS.entries()) await logs.put(logEntry(request, index));
});
afterAll(() => dynamo.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  vi.resetModules();
});

const context = {
  awsRequestId: 'request-1',
  functionName: 'turnpike-analytics',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:turnpike-analytics',
  memoryLimitInMB: '256',
  getRemainingTimeInMillis: () => 240_000,
  callbackWaitsForEmptyEventLoop: true,
};

describe('analytics Lambda handler', () => {
  it('rolls the logs of the scheduled window up and logs one structured analytics run line', async () => {
    vi.stubEnv('TURNPIKE_ANALYTICS_WINDOW_MINUTES', '15');
    vi.stubEnv('TURNPIKE_LOGS_TABLE', dynamo.tables.logs);
    vi.stubEnv('TURNPIKE_COUNTERS_TABLE', dynamo.tables.counters);
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.endpoint);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'turnpike-analytics');
    vi.stubEnv('POWERTOOLS_DEV', '');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const { handler } = await import('../../../lambdas/analytics/handler.ts');
    const report = await handler({ time: '2025-03-04T01:20:00Z', 'detail-type': 'Scheduled Event' }, context as never);

    expect(report).toEqual(expect.objectContaining({ windowStart: '2025-03-04T01:00:00.000Z', windowEnd: '2025-03-04T01:15:00.000Z', windowMinutes: 15 }));
    expect(report.rollups).toMatchObject({ hours: ['2025-03-03T23:00:00.000Z', '2025-03-04T00:00:00.000Z', '2025-03-04T01:00:00.000Z'], days: ['2025-03-03T00:00:00.000Z'] });
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === 'analytics run');
    expect(logged).toEqual([
      expect.objectContaining({ level: 'INFO', service: 'turnpike-analytics', windowEnd: '2025-03-04T01:15:00.000Z', function_request_id: 'request-1' }),
    ]);
    // Rollup rows expire 90 days after their window: read them as of that day.
    const rollups = createDynamoDbRollupStore({ client: dynamo.client, tableName: dynamo.tables.counters, clock: { now: () => Date.parse('2025-03-04T02:00:00Z') } });
    expect((await rollups.list('hour', Date.parse('2025-03-04T00:00:00Z'), 'all'))[0]?.metrics.requests).toBe(6);
  });
});
