import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPowertoolsLogWriteFailureReporter, createPowertoolsRequestLogSink } from '../../../../shared/src/adapters/aws/powertools-request-log-sink.ts';
import type { RequestRecord } from '../../../../shared/src/ports/request-log-sink.ts';

let lines: Record<string, unknown>[];
beforeEach(() => {
  lines = [];
  const capture = (chunk: string | Uint8Array) => {
    for (const text of String(chunk).split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as Record<string, unknown>);
    return true;
  };
  // Powertools writes warnings to stderr, the rest to stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

const telemetry = () => ({ logger: new Logger({ serviceName: 'turnpike-gateway' }), metrics: new Metrics({ namespace: 'Turnpike', serviceName: 'turnpike-gateway' }) });

describe('Powertools request telemetry for the request log', () => {
  it('emits time to first token with the service and per provider', () => {
    const record = {
      traceId: 't',
      method: 'POST',
      path: '/v1/chat/completions',
      endpoint: 'chat.completions',
      provider: 'openai',
      model: 'gpt-4o',
      status: 200,
      stream: true,
      startedAt: 0,
      latencyMs: 900,
      firstByteMs: 100,
      timeToFirstTokenMs: 250,
      retryAttempts: 0,
      lastUsedOptionIndex: undefined,
      usage: undefined,
      errorCode: undefined,
      errorMessage: undefined,
      metadata: {},
    } satisfies RequestRecord;
    createPowertoolsRequestLogSink({ ...telemetry(), logRequests: false }).write(record);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ TimeToFirstToken: 250 });
    expect(lines[1]).toMatchObject({ provider: 'openai', TimeToFirstToken: 250 });
  });

  it('counts a log that could not be stored in LogWriteFailures and warns without the bodies', () => {
    createPowertoolsLogWriteFailureReporter(telemetry())({ traceId: 't-1', requestId: 'r-1', attempts: 5, error: 'throttled' });
    const metric = lines.find((line) => '_aws' in line);
    expect(metric).toMatchObject({ service: 'turnpike-gateway', LogWriteFailures: 1 });
    expect((metric?._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(lines.find((line) => line.level === 'WARN')).toMatchObject({ message: 'turnpike: a request log could not be stored', traceId: 't-1', requestId: 'r-1', attempts: 5, error: 'throttled' });
  });
});
