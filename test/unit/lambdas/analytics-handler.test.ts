import { afterEach, describe, expect, it, vi } from 'vitest';

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
  getRemainingTimeInMillis: () => 60_000,
  callbackWaitsForEmptyEventLoop: true,
};

describe('analytics Lambda handler', () => {
  it('logs one structured analytics run line with the window of the schedule', async () => {
    vi.stubEnv('TURNPIKE_ANALYTICS_WINDOW_MINUTES', '15');
    vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'turnpike-analytics');
    vi.stubEnv('POWERTOOLS_DEV', '');
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    const { handler } = await import('../../../lambdas/analytics/handler.ts');
    const plan = await handler({ time: '2025-03-04T10:20:00Z', 'detail-type': 'Scheduled Event' }, context as never);

    expect(plan).toEqual(expect.objectContaining({ windowStart: '2025-03-04T10:00:00.000Z', windowEnd: '2025-03-04T10:15:00.000Z', windowMinutes: 15 }));
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.message === 'analytics run');
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'INFO',
        service: 'turnpike-analytics',
        windowStart: '2025-03-04T10:00:00.000Z',
        windowEnd: '2025-03-04T10:15:00.000Z',
        rollups: 'pending',
        function_request_id: 'request-1',
      }),
    ]);
  });
});
