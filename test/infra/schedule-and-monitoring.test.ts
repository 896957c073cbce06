import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, synthTurnpikeStack } from './synth-turnpike-stack.ts';

let template: Template;
beforeAll(() => {
  ({ template } = synthTurnpikeStack());
});

function alarm(template: Template, prefix: string): Record<string, unknown> {
  return template.toJSON().Resources[logicalIdOf(template, 'AWS::CloudWatch::Alarm', prefix)].Properties;
}

describe('analytics schedule', () => {
  it('runs the analytics function every hour by default', () => {
    const analytics = logicalIdOf(template, 'AWS::Lambda::Function', 'AnalyticsLambdaFunction');
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [analytics, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [analytics, 'Arn'] },
    });
  });

  it('takes the rate from context and tells the function its window', () => {
    const configured = synthTurnpikeStack({ 'turnpike:analyticsRateMinutes': '15' }).template;
    configured.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(15 minutes)' });
    configured.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ TURNPIKE_ANALYTICS_WINDOW_MINUTES: '15' }) },
    });
  });
});

describe('dashboard and alarms', () => {
  it('creates a dashboard fed by the gateway metrics and every function', () => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);
    for (const metric of ['Requests', 'RequestLatency', 'TimeToFirstByte', 'UpstreamRequests', 'UpstreamErrors', 'GatewayErrors']) {
      expect(body).toContain(`\\"Turnpike\\",\\"${metric}\\",\\"service\\",\\"turnpike-gateway\\"`);
    }
    for (const name of ['PublicGateway', 'InternalGateway', 'Admin', 'Analytics']) {
      expect(body).toContain(logicalIdOf(template, 'AWS::Lambda::Function', `${name}LambdaFunction`));
    }
  });

  it('shows time to first token, tokens, cost, cache and lost logs, and per-provider series found by SEARCH', () => {
    const joined = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody as { 'Fn::Join': [string, unknown[]] };
    // The body is JSON text joined around a few Refs (region, function names): put placeholders there.
    const dashboard = JSON.parse(joined['Fn::Join'][1].map((part) => (typeof part === 'string' ? part : 'ref')).join('')) as {
      widgets: Array<{ properties: { metrics?: unknown[][] } }>;
    };
    const series = dashboard.widgets.flatMap((widget) => widget.properties.metrics ?? []);
    const plain = series.filter((entry) => entry[0] === 'Turnpike').map((entry) => entry[1]);
    for (const metric of ['TimeToFirstToken', 'InputTokens', 'OutputTokens', 'Cost', 'CacheHits', 'CacheMisses', 'LogWriteFailures']) expect(plain).toContain(metric);
    const expressions = series.flatMap((entry) => entry.map((part) => (part as { expression?: string }).expression ?? []).flat());
    for (const metric of ['UpstreamRequests', 'UpstreamErrors', 'UpstreamLatency', 'TimeToFirstToken', 'InputTokens', 'Cost']) {
      expect(expressions).toContainEqual(expect.stringContaining(`SEARCH('{Turnpike,provider,service} MetricName="${metric}" service="turnpike-gateway"'`));
    }
  });

  it('alarms on errors and throttles of every function', () => {
    for (const name of ['PublicGateway', 'InternalGateway', 'Admin', 'Analytics']) {
      const fn = logicalIdOf(template, 'AWS::Lambda::Function', `${name}LambdaFunction`);
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarm(template, `Monitoring${name}${metric}`)).toEqual(
          expect.objectContaining({
            Namespace: 'AWS/Lambda',
            MetricName: metric,
            Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
            Statistic: 'Sum',
            Threshold: 1,
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            TreatMissingData: 'notBreaching',
          }),
        );
      }
    }
  });

  it('alarms on the p99 request latency the gateway emits', () => {
    const properties = alarm(template, 'MonitoringGatewayLatencyP99');
    expect(properties.Threshold).toBe(30_000);
    expect(properties.Metrics).toEqual([
      expect.objectContaining({
        MetricStat: {
          Metric: { Namespace: 'Turnpike', MetricName: 'RequestLatency', Dimensions: [{ Name: 'service', Value: 'turnpike-gateway' }] },
          Period: 300,
          Stat: 'p99',
        },
      }),
    ]);
    const configured = synthTurnpikeStack({ 'turnpike:latencyP99AlarmMs': 12_000 }).template;
    expect(alarm(configured, 'MonitoringGatewayLatencyP99').Threshold).toBe(12_000);
  });

  it('alarms on the upstream error rate', () => {
    const properties = alarm(template, 'MonitoringUpstreamErrorRate');
    expect(properties.Threshold).toBe(10);
    const metrics = properties.Metrics as Array<{ Id: string; Expression?: string; MetricStat?: { Metric: { MetricName: string } } }>;
    expect(metrics.find((metric) => metric.Expression !== undefined)?.Expression).toBe(
      'IF(upstreamRequests >= 10, 100 * upstreamErrors / upstreamRequests, 0)',
    );
    expect(metrics.flatMap((metric) => metric.MetricStat?.Metric.MetricName ?? []).sort()).toEqual(['UpstreamErrors', 'UpstreamRequests']);
  });

  it('sends every alarm to a KMS-encrypted topic', () => {
    const topic = logicalIdOf(template, 'AWS::SNS::Topic', 'MonitoringAlarmTopic');
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key', 'MonitoringAlarmTopicKey'), 'Arn'] },
    });
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(10);
    for (const resource of alarms) expect(resource.Properties.AlarmActions).toEqual([{ Ref: topic }]);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('subscribes the alarm e-mail address from context', () => {
    synthTurnpikeStack({ 'turnpike:alarmEmail': 'oncall@example.com' }).template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });

  it('keeps every log group for the configured retention', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(4);
    for (const group of groups) expect(group.Properties.RetentionInDays).toBe(30);
    const configured = synthTurnpikeStack({ 'turnpike:logRetentionDays': 7 }).template;
    for (const group of Object.values(configured.findResources('AWS::Logs::LogGroup'))) expect(group.Properties.RetentionInDays).toBe(7);
  });
});
