/**
 * The custom metrics the gateway emits through Powertools (EMF) and the dashboard and alarms
 * read. docs/INFRA-CONTRACT.md is the agreement with the runtime code; keep the two in step.
 */
export const GATEWAY_METRICS = {
  namespace: 'Turnpike',
  /** The `service` dimension (POWERTOOLS_SERVICE_NAME) shared by the public and internal gateway. */
  service: 'turnpike-gateway',
  requests: 'Requests',
  requestLatency: 'RequestLatency',
  timeToFirstByte: 'TimeToFirstByte',
  upstreamRequests: 'UpstreamRequests',
  upstreamErrors: 'UpstreamErrors',
  gatewayErrors: 'GatewayErrors',
  timeToFirstToken: 'TimeToFirstToken',
  upstreamLatency: 'UpstreamLatency',
  inputTokens: 'InputTokens',
  outputTokens: 'OutputTokens',
  cost: 'Cost',
  cacheHits: 'CacheHits',
  cacheMisses: 'CacheMisses',
  /** Request logs that could not be stored after every retry. */
  logWriteFailures: 'LogWriteFailures',
  /** The dimension of the per-provider EMF record, beside `service`. */
  providerDimension: 'provider',
} as const;

/** POWERTOOLS_* variables for a function whose metrics and logs carry `service`. */
export function powertoolsEnvironment(service: string): Record<string, string> {
  return {
    POWERTOOLS_SERVICE_NAME: service,
    POWERTOOLS_METRICS_NAMESPACE: GATEWAY_METRICS.namespace,
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
}
