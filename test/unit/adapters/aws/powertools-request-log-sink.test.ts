import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPowertoolsRequestLogSink } from '../../../../shared/src/adapters/aws/powertools-request-log-sink.ts';
import type { RequestRecord } from '../../../../shared/src/ports/request-log-sink.ts';

type Line = Record<string, unknown> & { _aws?: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] } };

let lines: Line[];
beforeEach(() => {
  lines = [];
  // Powertools writes through a Console bound to process.stdout.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const text of String(chunk).split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as Line);
    return true;
  });
  vi.stubEnv('_X_AMZN_TRACE_ID', 'Root=1-65000000-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

const record = (overrides: Partial<RequestRecord> = {}): RequestRecord => ({
  traceId: 'trace-123',
  method: 'POST',
  path: '/v1/chat/completions',
  endpoint: 'chatComplete',
  provider: 'openai',
  model: 'gpt-4o-mini',
  status: 200,
  stream: true,
  startedAt: 1_700_000_000_000,
  latencyMs: 840,
  firstByteMs: 210,
  retryAttempts: 1,
  lastUsedOptionIndex: 'config.targets[0]',
  usage: { promptTokens: 12, completionTokens: 30, totalTokens: 42 },
  errorCode: undefined,
  errorMessage: undefined,
  metadata: { team: 'search' },
  ...overrides,
});

function sink(logRequests = true) {
  return createPowertoolsRequestLogSink({
    logger: new Logger({ serviceName: 'turnpike-gateway' }),
    metrics: new Metrics({ namespace: 'Turnpike', serviceName: 'turnpike-gateway' }),
    logRequests,
  });
}

const emf = (line: Line | undefined) => line?._aws?.CloudWatchMetrics[0];

describe('Powertools request log sink', () => {
  it('writes one structured log line with the gateway and X-Ray trace ids', () => {
    sink().write(record());
    const log = lines[0];
    expect(log).toMatchObject({
      level: 'INFO',
      message: 'request',
      service: 'turnpike-gateway',
      traceId: 'trace-123',
      xray_trace_id: '1-65000000-0123456789abcdef01234567',
      provider: 'openai',
      status: 200,
      latencyMs: 840,
      usage: { promptTokens: 12, completionTokens: 30, totalTokens: 42 },
      cacheStatus: 'DISABLED',
      metadata: { team: 'search' },
    });
  });

  it('emits the service metrics with the service dimension only, then per-provider figures', () => {
    sink(false).write(record({ cacheStatus: 'MISS', cost: 0.00042 }));
    expect(lines).toHaveLength(2);
    const [service, provider] = lines;
    expect(emf(service)).toMatchObject({ Namespace: 'Turnpike', Dimensions: [['service']] });
    expect(service).toMatchObject({
      service: 'turnpike-gateway',
      Requests: 1,
      RequestLatency: 840,
      TimeToFirstByte: 210,
      UpstreamRequests: 2,
      UpstreamErrors: 1,
      GatewayErrors: 0,
      InputTokens: 12,
      OutputTokens: 30,
      Cost: 0.00042,
      CacheHits: 0,
      CacheMisses: 1,
    });
    expect(emf(service)?.Metrics).toContainEqual({ Name: 'RequestLatency', Unit: 'Milliseconds' });
    expect(emf(provider)?.Dimensions).toEqual([['service', 'provider']]);
    expect(provider).toMatchObject({ provider: 'openai', UpstreamRequests: 2, UpstreamErrors: 1, UpstreamLatency: 210, InputTokens: 12, Cost: 0.00042 });
  });

  it('counts no upstream call for a cache hit, and counts answers too large to cache', () => {
    const logSink = sink(false);
    logSink.write(record({ cacheStatus: 'SEMANTIC HIT', retryAttempts: 0 }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ UpstreamRequests: 0, UpstreamErrors: 0, CacheHits: 1 });
    lines = [];
    logSink.write(record({ cacheStatus: 'MISS', cacheWrite: 'too_large' }));
    expect(lines[0]).toMatchObject({ CacheMisses: 1, CacheTooLarge: 1 });
  });

  it('counts a provider 5xx as an upstream error and a gateway fault as a gateway error', () => {
    const logSink = sink(false);
    logSink.write(record({ status: 503, retryAttempts: 0, usage: undefined, errorCode: 'server_error' }));
    expect(lines[0]).toMatchObject({ UpstreamRequests: 1, UpstreamErrors: 1, GatewayErrors: 0 });
    expect(lines[0]).not.toHaveProperty('InputTokens');
    lines = [];
    logSink.write(record({ status: 500, provider: undefined, retryAttempts: 0, usage: undefined, firstByteMs: undefined, errorCode: 'internal_error' }));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ Requests: 1, UpstreamRequests: 0, UpstreamErrors: 0, GatewayErrors: 1 });
    expect(lines[0]).not.toHaveProperty('TimeToFirstByte');
  });

  it('counts a guardrail refusal, and no upstream call when an input guardrail refused before the call', () => {
    const logSink = sink(false);
    const failure = { target: 'config.targets[0]', hook: 'input' as const, guardrail: 'g', check: 'default.contains', deny: true, logOnly: false };
    const guardrails = { verdict: 'denied' as const, denied: true, checks: 1, failed: [failure] };
    logSink.write(record({ status: 446, retryAttempts: 0, usage: undefined, errorCode: 'hooks_failed', guardrails }));
    expect(lines[0]).toMatchObject({ GuardrailDenials: 1, UpstreamRequests: 0, UpstreamErrors: 0, GatewayErrors: 0 });
    lines = [];
    logSink.write(record({ status: 446, retryAttempts: 0, usage: undefined, errorCode: 'hooks_failed', guardrails: { ...guardrails, failed: [{ ...failure, hook: 'output' }] } }));
    expect(lines[0]).toMatchObject({ GuardrailDenials: 1, UpstreamRequests: 1, UpstreamErrors: 0 });
    lines = [];
    logSink.write(record({ guardrails: { verdict: 'passed', denied: false, checks: 2, failed: [] } }));
    expect(lines[0]).toMatchObject({ GuardrailDenials: 0 });
    lines = [];
    logSink.write(record());
    expect(lines[0]).not.toHaveProperty('GuardrailDenials');
  });

  it('never throws, even when Powertools does', () => {
    const broken = createPowertoolsRequestLogSink({
      logger: { info: () => { throw new Error('boom'); }, error: () => { throw new Error('boom again'); } },
      metrics: new Metrics({ namespace: 'Turnpike' }),
    });
    expect(() => broken.write(record())).not.toThrow();
  });
});
