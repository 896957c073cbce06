import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LazyPowertoolsTelemetry, type LambdaInvocationContext } from '../../../shared/src/runtime/powertools-telemetry.ts';
import { captureStdoutJsonLines } from '../../support/request-record.ts';

let lines: Record<string, unknown>[];
beforeEach(() => {
  lines = captureStdoutJsonLines();
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'turnpike-gateway');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const context = (requestId: string) =>
  ({
    awsRequestId: requestId,
    functionName: 'turnpike-gateway',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:turnpike-gateway',
    memoryLimitInMB: '1024',
  }) as unknown as LambdaInvocationContext;

describe('lazy Powertools telemetry', () => {
  it('loads one logger and metrics pair, which carry the invocation context set before and after loading', async () => {
    const telemetry = new LazyPowertoolsTelemetry();
    telemetry.setInvocationContext(context('req-1'));
    const first = await telemetry.get();
    expect(await telemetry.get()).toBe(first);
    first.logger.info('one');
    telemetry.setInvocationContext(context('req-2'));
    first.logger.info('two');
    expect(lines.map((line) => [line.message, line.function_request_id, line.service])).toEqual([
      ['one', 'req-1', 'turnpike-gateway'],
      ['two', 'req-2', 'turnpike-gateway'],
    ]);
  });
});
