import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { AdminFunction } from './constructs/admin-function.ts';
import { AnalyticsSchedule } from './constructs/analytics-schedule.ts';
import { GatewayFunction } from './constructs/gateway-function.ts';
import { KeyVault } from './constructs/key-vault.ts';
import { Monitoring } from './constructs/monitoring.ts';
import type { StageSettings } from './constructs/stage-settings.ts';
import { StorageTables } from './constructs/storage-tables.ts';

export interface TurnpikeStackProps extends StackProps {
  readonly settings: StageSettings;
}

/**
 * The whole gateway in one stack: the public and internal gateway functions, the admin API, the
 * analytics schedule, the tables, the virtual-key vault and the dashboard with its alarms.
 */
export class TurnpikeStack extends Stack {
  readonly tables: StorageTables;
  readonly vault: KeyVault;
  readonly publicGateway: GatewayFunction;
  readonly internalGateway: GatewayFunction;
  readonly admin: AdminFunction;
  readonly analytics: AnalyticsSchedule;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: TurnpikeStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const dataRemovalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logs = { logRetention: settings.logRetentionDays, logRemovalPolicy: RemovalPolicy.DESTROY };
    const environment = {
      TURNPIKE_STAGE: settings.stage,
      TURNPIKE_LOG_RETENTION_DAYS: String(settings.requestLogRetentionDays),
    };

    this.tables = new StorageTables(this, 'Tables', { removalPolicy: dataRemovalPolicy });
    this.vault = new KeyVault(this, 'Vault', { secretPrefix: settings.secretPrefix, removalPolicy: dataRemovalPolicy });
    const gateway = {
      tables: this.tables,
      vault: this.vault,
      environment,
      reservedConcurrentExecutions: settings.gatewayReservedConcurrency,
      timeout: Duration.seconds(settings.gatewayTimeoutSeconds),
      memorySize: settings.gatewayMemoryMb,
      ...logs,
    };
    this.publicGateway = new GatewayFunction(this, 'PublicGateway', {
      ...gateway,
      urlAuthType: FunctionUrlAuthType.NONE,
      allowedOrigins: settings.allowedOrigins,
    });
    this.internalGateway = new GatewayFunction(this, 'InternalGateway', {
      ...gateway,
      urlAuthType: FunctionUrlAuthType.AWS_IAM,
    });
    this.admin = new AdminFunction(this, 'Admin', { tables: this.tables, vault: this.vault, environment, ...logs });
    this.analytics = new AnalyticsSchedule(this, 'Analytics', {
      tables: this.tables,
      rateMinutes: settings.analyticsRateMinutes,
      environment,
      ...logs,
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      functions: [
        { label: 'PublicGateway', function: this.publicGateway.lambda.function },
        { label: 'InternalGateway', function: this.internalGateway.lambda.function },
        { label: 'Admin', function: this.admin.lambda.function },
        { label: 'Analytics', function: this.analytics.lambda.function },
      ],
      alarmEmail: settings.alarmEmail,
      latencyP99ThresholdMs: settings.latencyP99AlarmMs,
      upstreamErrorRateThresholdPercent: settings.upstreamErrorRateAlarmPercent,
    });

    new CfnOutput(this, 'GatewayUrl', {
      description: 'Public gateway (OpenAI-compatible; send a gateway key as the API key)',
      value: this.publicGateway.url.url,
    });
    new CfnOutput(this, 'InternalGatewayUrl', {
      description: 'Internal gateway (AWS_IAM: SigV4-signed requests, the caller ARN is the principal)',
      value: this.internalGateway.url.url,
    });
    new CfnOutput(this, 'AdminUrl', { description: 'Admin API (AWS_IAM)', value: this.admin.url.url });
    new CfnOutput(this, 'DashboardUrl', {
      description: 'CloudWatch dashboard',
      value: `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.monitoring.dashboard.dashboardName}`,
    });
    new CfnOutput(this, 'SecretPrefix', { description: 'Secrets Manager name prefix of the virtual-key vault', value: this.vault.secretPrefix });
  }
}
