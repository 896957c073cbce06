import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { powertoolsEnvironment } from './metric-names.ts';
import type { StorageTables } from './storage-tables.ts';
import { TurnpikeFunction } from './turnpike-function.ts';

export interface AnalyticsScheduleProps {
  readonly tables: StorageTables;
  /** How often the rollup runs; also the window each run covers. @default 60 */
  readonly rateMinutes?: number;
  /** Stage-wide variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The analytics function (lambdas/analytics/handler.ts) run by an EventBridge rule every
 * `rateMinutes`. Each run covers the window that just ended, so the window length is passed
 * to the function alongside the schedule that produces it.
 */
export class AnalyticsSchedule extends Construct {
  readonly lambda: TurnpikeFunction;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: AnalyticsScheduleProps) {
    super(scope, id);
    const rateMinutes = props.rateMinutes ?? 60;
    this.lambda = new TurnpikeFunction(this, 'Lambda', {
      lambdaName: 'analytics',
      description: 'Turnpike analytics rollup (scheduled)',
      timeout: Duration.minutes(5),
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: {
        ...props.environment,
        TURNPIKE_RUNTIME: 'aws',
        TURNPIKE_LOGS_TABLE: props.tables.logs.tableName,
        TURNPIKE_COUNTERS_TABLE: props.tables.counters.tableName,
        TURNPIKE_ANALYTICS_WINDOW_MINUTES: String(rateMinutes),
        ...powertoolsEnvironment('turnpike-analytics'),
      },
    });
    props.tables.grantAnalytics(this.lambda.role);

    this.rule = new Rule(this, 'Schedule', {
      description: `Runs the Turnpike analytics rollup every ${rateMinutes} minutes`,
      schedule: Schedule.rate(Duration.minutes(rateMinutes)),
    });
    // A missed run is retried briefly; the next run covers only its own window, so a run
    // that is hours late is no longer worth doing.
    this.rule.addTarget(new LambdaFunction(this.lambda.function, { retryAttempts: 2, maxEventAge: Duration.hours(1) }));
  }
}
