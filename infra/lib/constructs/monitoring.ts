import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { GATEWAY_METRICS } from './metric-names.ts';

/** A function shown on the dashboard and alarmed on for errors and throttles. */
export interface MonitoredFunction {
  /** Short label used in alarm names and widget legends, e.g. `PublicGateway`. */
  readonly label: string;
  readonly function: IFunction;
}

export interface MonitoringProps {
  readonly functions: readonly MonitoredFunction[];
  /** Where alarm notifications are e-mailed. @default undefined (topic without subscriber) */
  readonly alarmEmail?: string;
  /** p99 of the gateway's RequestLatency above which the latency alarm fires. @default 30000 */
  readonly latencyP99ThresholdMs?: number;
  /** Upstream error rate (percent) above which its alarm fires. @default 10 */
  readonly upstreamErrorRateThresholdPercent?: number;
  /** What happens to the topic's KMS key when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly keyRemovalPolicy?: RemovalPolicy;
}

const PERIOD = Duration.minutes(5);
// An upstream error rate over a handful of calls is noise; below this many calls in a period the
// rate counts as 0.
const MIN_UPSTREAM_REQUESTS_FOR_RATE = 10;

/**
 * The CloudWatch dashboard and alarms: Lambda errors and throttles for every function, and,
 * from the metrics the gateway emits, p99 request latency and the upstream error rate. Alarms
 * notify an SNS topic encrypted with its own KMS key.
 */
export class Monitoring extends Construct {
  readonly dashboard: Dashboard;
  readonly alarmTopic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const topicKey = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the Turnpike alarm topic',
      enableKeyRotation: true,
      removalPolicy: props.keyRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarm notifications as itself, so it needs the key; the AWS-managed
    // aws/sns key cannot be shared this way.
    topicKey.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', { masterKey: topicKey, enforceSSL: true });
    if (props.alarmEmail !== undefined) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    for (const { label, function: fn } of props.functions) {
      this.addAlarm(`${label}Errors`, fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), 1, `${label}: the function failed (crash, timeout or unhandled error)`);
      this.addAlarm(`${label}Throttles`, fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), 1, `${label}: invocations were throttled (concurrency limit reached)`);
    }
    const latencyP99 = gatewayMetric(GATEWAY_METRICS.requestLatency, 'p99');
    this.addAlarm('GatewayLatencyP99', latencyP99, props.latencyP99ThresholdMs ?? 30_000, 'Gateway p99 request latency is high', 3, 2);
    const upstreamErrorRate = new MathExpression({
      label: 'Upstream error rate (%)',
      expression: `IF(upstreamRequests >= ${MIN_UPSTREAM_REQUESTS_FOR_RATE}, 100 * upstreamErrors / upstreamRequests, 0)`,
      usingMetrics: {
        upstreamRequests: gatewayMetric(GATEWAY_METRICS.upstreamRequests, 'Sum'),
        upstreamErrors: gatewayMetric(GATEWAY_METRICS.upstreamErrors, 'Sum'),
      },
      period: PERIOD,
    });
    this.addAlarm('UpstreamErrorRate', upstreamErrorRate, props.upstreamErrorRateThresholdPercent ?? 10, 'Upstream providers are failing', 3, 2);

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new TextWidget({ markdown: '# Turnpike\nGateway traffic from its own metrics; Lambda health per function.', width: 24, height: 2 }),
    );
    this.dashboard.addWidgets(
      graph('Requests and errors', [gatewayMetric(GATEWAY_METRICS.requests, 'Sum'), gatewayMetric(GATEWAY_METRICS.gatewayErrors, 'Sum')]),
      graph('Latency (ms)', [
        gatewayMetric(GATEWAY_METRICS.requestLatency, 'p50'),
        latencyP99,
        gatewayMetric(GATEWAY_METRICS.timeToFirstByte, 'p50'),
        gatewayMetric(GATEWAY_METRICS.timeToFirstByte, 'p99'),
      ]),
      graph('Upstream', [gatewayMetric(GATEWAY_METRICS.upstreamRequests, 'Sum'), gatewayMetric(GATEWAY_METRICS.upstreamErrors, 'Sum')], [upstreamErrorRate]),
    );
    this.dashboard.addWidgets(
      graph('Tokens, cost and cache', [
        gatewayMetric(GATEWAY_METRICS.inputTokens, 'Sum'),
        gatewayMetric(GATEWAY_METRICS.outputTokens, 'Sum'),
        gatewayMetric(GATEWAY_METRICS.cacheHits, 'Sum'),
        gatewayMetric(GATEWAY_METRICS.cacheMisses, 'Sum'),
      ], [gatewayMetric(GATEWAY_METRICS.cost, 'Sum')]),
      graph('Time to first token (ms)', [
        gatewayMetric(GATEWAY_METRICS.timeToFirstToken, 'p50'),
        gatewayMetric(GATEWAY_METRICS.timeToFirstToken, 'p90'),
        gatewayMetric(GATEWAY_METRICS.timeToFirstToken, 'p99'),
      ]),
      graph('Request logs not stored', [gatewayMetric(GATEWAY_METRICS.logWriteFailures, 'Sum')]),
    );
    // One line per provider: SEARCH finds every provider the gateway has reported, so a new
    // provider shows up without a deployment.
    this.dashboard.addWidgets(
      graph('Upstream requests by provider', [perProvider(GATEWAY_METRICS.upstreamRequests, 'Sum')]),
      graph('Upstream errors by provider', [perProvider(GATEWAY_METRICS.upstreamErrors, 'Sum')]),
      graph('Upstream latency p90 by provider (ms)', [perProvider(GATEWAY_METRICS.upstreamLatency, 'p90')]),
    );
    this.dashboard.addWidgets(
      graph('Time to first token p90 by provider (ms)', [perProvider(GATEWAY_METRICS.timeToFirstToken, 'p90')]),
      graph('Tokens by provider', [perProvider(GATEWAY_METRICS.inputTokens, 'Sum'), perProvider(GATEWAY_METRICS.outputTokens, 'Sum')]),
      graph('Cost by provider', [perProvider(GATEWAY_METRICS.cost, 'Sum')]),
    );
    const perFunction = (title: string, metric: (fn: IFunction) => Metric) =>
      graph(title, props.functions.map(({ label, function: fn }) => metric(fn).with({ label })));
    this.dashboard.addWidgets(
      perFunction('Lambda errors', (fn) => fn.metricErrors({ period: PERIOD, statistic: 'Sum' })),
      perFunction('Lambda throttles', (fn) => fn.metricThrottles({ period: PERIOD, statistic: 'Sum' })),
      perFunction('Lambda duration p99 (ms)', (fn) => fn.metricDuration({ period: PERIOD, statistic: 'p99' })),
    );
    this.dashboard.addWidgets(
      perFunction('Invocations', (fn) => fn.metricInvocations({ period: PERIOD, statistic: 'Sum' })),
      perFunction('Concurrent executions', (fn) => fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: 'Maximum' })),
    );
  }

  private addAlarm(
    id: string,
    metric: Metric | MathExpression,
    threshold: number,
    description: string,
    evaluationPeriods = 1,
    datapointsToAlarm = 1,
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold,
      evaluationPeriods,
      datapointsToAlarm,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No traffic is not a failure: a gateway nobody calls must stay green.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: description,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    alarm.addOkAction(new SnsAction(this.alarmTopic));
    this.alarms.push(alarm);
  }
}

function gatewayMetric(metricName: string, statistic: string): Metric {
  return new Metric({
    namespace: GATEWAY_METRICS.namespace,
    metricName,
    dimensionsMap: { service: GATEWAY_METRICS.service },
    statistic,
    period: PERIOD,
    label: `${metricName} ${statistic}`,
  });
}

/** Every provider's series of one metric, from the `{service, provider}` EMF record. */
function perProvider(metricName: string, statistic: string): MathExpression {
  const { namespace, service, providerDimension } = GATEWAY_METRICS;
  return new MathExpression({
    expression: `SEARCH('{${namespace},${providerDimension},service} MetricName="${metricName}" service="${service}"', '${statistic}', ${PERIOD.toSeconds()})`,
    label: metricName,
    usingMetrics: {},
    period: PERIOD,
  });
}

function graph(title: string, left: readonly (Metric | MathExpression)[], right: readonly (Metric | MathExpression)[] = []): GraphWidget {
  return new GraphWidget({ title, left: [...left], right: [...right], width: 8, height: 6 });
}
