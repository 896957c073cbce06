import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { LogWriteFailure, RequestLogSink, RequestRecord } from '../../ports/request-log-sink.ts';

export interface PowertoolsRequestLogSinkOptions {
  logger: Pick<Logger, 'info' | 'error'>;
  metrics: Pick<Metrics, 'addMetric' | 'addDimension' | 'publishStoredMetrics'>;
  /** Whether each request also gets a log line (metrics are always emitted). @default true */
  logRequests?: boolean;
}

// 5xx the gateway produced itself, as opposed to a provider's 5xx passed on (UpstreamError).
const GATEWAY_ERROR_CODES = new Set(['internal_error', 'store_unavailable', 'key_vault_unavailable']);

function isUpstreamFailure(record: RequestRecord): boolean {
  return record.status === 408 || record.status === 429 || (record.status >= 500 && !GATEWAY_ERROR_CODES.has(record.errorCode ?? ''));
}

function isGatewayError(record: RequestRecord): boolean {
  return record.status >= 500 && (record.provider === undefined || GATEWAY_ERROR_CODES.has(record.errorCode ?? ''));
}

/** An input guardrail refused the request at the target it ended on, so that target's provider was never called. */
function refusedBeforeCall(record: RequestRecord): boolean {
  const guardrails = record.guardrails;
  if (guardrails?.denied !== true) return false;
  return guardrails.failed.some((failure) => failure.target === record.lastUsedOptionIndex && failure.hook === 'input' && failure.deny && !failure.logOnly);
}

/**
 * How many provider calls a request made and how many failed. The record knows the retries
 * of the target that answered last (each retry follows a failed attempt) and the final
 * status; attempts on targets a fallback left behind are not in it.
 */
function upstreamAttempts(record: RequestRecord): { requests: number; errors: number } {
  if (record.provider === undefined || record.errorCode === 'missing_provider' || record.errorCode === 'unknown_provider') {
    return { requests: 0, errors: 0 };
  }
  // An answer from the response cache names its provider but never called it.
  if (record.cacheStatus === 'HIT' || record.cacheStatus === 'SEMANTIC HIT') return { requests: 0, errors: 0 };
  if (refusedBeforeCall(record)) return { requests: 0, errors: 0 };
  return { requests: record.retryAttempts + 1, errors: record.retryAttempts + (isUpstreamFailure(record) ? 1 : 0) };
}

/**
 * The AWS RequestLogSink: one structured JSON log line per request through Powertools
 * Logger (with the gateway trace id; Powertools adds the X-Ray trace id and, inside the
 * handler's middleware, the Lambda request id) and CloudWatch metrics in embedded metric
 * format through Powertools Metrics. Service-level metrics carry only the `service`
 * dimension, as the stack's alarms expect (docs/INFRA-CONTRACT.md); per-provider figures go
 * out in a second EMF record with `{service, provider}`. Cost is in USD (0 for unpriced models).
 */
export function createPowertoolsRequestLogSink(options: PowertoolsRequestLogSinkOptions): RequestLogSink {
  const { logger, metrics } = options;
  const logRequests = options.logRequests ?? true;

  function emitMetrics(record: RequestRecord): void {
    const upstream = upstreamAttempts(record);
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    metrics.addMetric('RequestLatency', MetricUnit.Milliseconds, record.latencyMs);
    if (record.firstByteMs !== undefined) metrics.addMetric('TimeToFirstByte', MetricUnit.Milliseconds, record.firstByteMs);
    if (record.timeToFirstTokenMs !== undefined) metrics.addMetric('TimeToFirstToken', MetricUnit.Milliseconds, record.timeToFirstTokenMs);
    metrics.addMetric('UpstreamRequests', MetricUnit.Count, upstream.requests);
    metrics.addMetric('UpstreamErrors', MetricUnit.Count, upstream.errors);
    metrics.addMetric('GatewayErrors', MetricUnit.Count, isGatewayError(record) ? 1 : 0);
    if (record.usage !== undefined) {
      metrics.addMetric('InputTokens', MetricUnit.Count, record.usage.promptTokens);
      metrics.addMetric('OutputTokens', MetricUnit.Count, record.usage.completionTokens);
      metrics.addMetric('Cost', MetricUnit.NoUnit, record.cost ?? 0);
    }
    const cacheStatus = record.cacheStatus ?? 'DISABLED';
    if (cacheStatus !== 'DISABLED') {
      const hit = cacheStatus === 'HIT' || cacheStatus === 'SEMANTIC HIT';
      metrics.addMetric('CacheHits', MetricUnit.Count, hit ? 1 : 0);
      metrics.addMetric('CacheMisses', MetricUnit.Count, hit ? 0 : 1);
    }
    // Answers over the Cache table's item size, even compressed, are served but not cached.
    if (record.cacheWrite === 'too_large') metrics.addMetric('CacheTooLarge', MetricUnit.Count, 1);
    // Requests a guardrail refused (446): a rise means callers or a model now break a policy.
    if (record.guardrails !== undefined) metrics.addMetric('GuardrailDenials', MetricUnit.Count, record.guardrails.denied ? 1 : 0);
    metrics.publishStoredMetrics();

    if (record.provider === undefined || upstream.requests === 0) return;
    metrics.addDimension('provider', record.provider);
    metrics.addMetric('UpstreamRequests', MetricUnit.Count, upstream.requests);
    metrics.addMetric('UpstreamErrors', MetricUnit.Count, upstream.errors);
    // Arrival until the provider's answer started: the upstream's latency plus the gateway's small share.
    if (record.firstByteMs !== undefined) metrics.addMetric('UpstreamLatency', MetricUnit.Milliseconds, record.firstByteMs);
    if (record.timeToFirstTokenMs !== undefined) metrics.addMetric('TimeToFirstToken', MetricUnit.Milliseconds, record.timeToFirstTokenMs);
    if (record.usage !== undefined) {
      metrics.addMetric('InputTokens', MetricUnit.Count, record.usage.promptTokens);
      metrics.addMetric('OutputTokens', MetricUnit.Count, record.usage.completionTokens);
      metrics.addMetric('Cost', MetricUnit.NoUnit, record.cost ?? 0);
    }
    metrics.publishStoredMetrics();
  }

  return {
    write(record) {
      try {
        if (logRequests) logger.info('request', { ...record, cacheStatus: record.cacheStatus ?? 'DISABLED' });
        emitMetrics(record);
      } catch (error) {
        // The sink must never fail a request that has already been answered.
        try {
          logger.error('turnpike: could not write the request log', error as Error);
        } catch {
          // Nothing left to report to.
        }
      }
    },
  };
}

export interface PowertoolsLogWriteFailureReporterOptions {
  logger: Pick<Logger, 'warn'>;
  metrics: Pick<Metrics, 'addMetric' | 'publishStoredMetrics'>;
}

/**
 * Reports a request log write that failed every attempt: the `LogWriteFailures` metric
 * (Count, `service` dimension only) and a warning line naming the request, never its bodies.
 */
export function createPowertoolsLogWriteFailureReporter(options: PowertoolsLogWriteFailureReporterOptions): (failure: LogWriteFailure) => void {
  return (failure) => {
    try {
      options.metrics.addMetric('LogWriteFailures', MetricUnit.Count, 1);
      options.metrics.publishStoredMetrics();
      options.logger.warn('turnpike: a request log could not be stored', { ...failure });
    } catch {
      // Reporting is best effort; the failure is already counted by the caller.
    }
  };
}
