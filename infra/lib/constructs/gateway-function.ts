import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FunctionUrlAuthType, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { grantBedrockInvoke } from './bedrock-access.ts';
import { TurnpikeFunctionUrl } from './function-urls.ts';
import type { KeyVault } from './key-vault.ts';
import { GATEWAY_METRICS, powertoolsEnvironment } from './metric-names.ts';
import type { StorageTables } from './storage-tables.ts';
import { TurnpikeFunction } from './turnpike-function.ts';

export interface GatewayFunctionProps {
  /**
   * NONE for the public gateway (each request carries a gateway key), AWS_IAM for the internal
   * one (callers sign with SigV4 and their ARN reaches the engine as the principal). The
   * function is told which through TURNPIKE_FUNCTION_URL_AUTH, so it never trusts IAM
   * identity on the public URL.
   */
  readonly urlAuthType: FunctionUrlAuthType;
  readonly tables: StorageTables;
  readonly vault: KeyVault;
  /** Stage-wide variables (TURNPIKE_STAGE, TURNPIKE_LOG_RETENTION_DAYS, ...). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Browser origins for CORS; only allowed on the public (NONE) URL. @default [] */
  readonly allowedOrigins?: readonly string[];
  /** @default undefined (unreserved) */
  readonly reservedConcurrentExecutions?: number;
  /** Also the longest a streamed response can last. @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The gateway Lambda (lambdas/gateway/handler.ts) behind a response-streaming function URL.
 * The stack makes two: the public one (auth NONE) and the internal one (auth AWS_IAM), the
 * same code with separate concurrency, logs and alarms.
 */
export class GatewayFunction extends Construct {
  readonly lambda: TurnpikeFunction;
  readonly url: TurnpikeFunctionUrl;

  constructor(scope: Construct, id: string, props: GatewayFunctionProps) {
    super(scope, id);
    const origins = props.allowedOrigins ?? [];
    if (props.urlAuthType !== FunctionUrlAuthType.NONE && origins.length > 0) {
      throw new Error('CORS origins only make sense on the public gateway URL (auth type NONE).');
    }
    const isPublic = props.urlAuthType === FunctionUrlAuthType.NONE;
    this.lambda = new TurnpikeFunction(this, 'Lambda', {
      lambdaName: 'gateway',
      description: isPublic ? 'Turnpike gateway (public URL, gateway keys)' : 'Turnpike gateway (internal URL, IAM callers)',
      timeout: props.timeout ?? Duration.minutes(5),
      memorySize: props.memorySize ?? 1024,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: {
        ...props.environment,
        TURNPIKE_RUNTIME: 'aws',
        TURNPIKE_FUNCTION_URL_AUTH: props.urlAuthType,
        TURNPIKE_CONTROL_TABLE: props.tables.control.tableName,
        TURNPIKE_COUNTERS_TABLE: props.tables.counters.tableName,
        TURNPIKE_CACHE_TABLE: props.tables.cache.tableName,
        TURNPIKE_LOGS_TABLE: props.tables.logs.tableName,
        TURNPIKE_SECRET_PREFIX: props.vault.secretPrefix,
        ...powertoolsEnvironment(GATEWAY_METRICS.service),
      },
    });
    props.tables.grantGateway(this.lambda.role);
    props.vault.grantRead(this.lambda.role);
    props.vault.acknowledgeGrantFindings(this.lambda.role, { manage: false });
    grantBedrockInvoke(this.lambda.role, this.lambda.role);
    // Budget soft-threshold alerts go to the account's default event bus, where an operator
    // routes them (email, chat, webhook) with an EventBridge rule.
    this.lambda.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [Stack.of(this).formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
      }),
    );

    this.url = new TurnpikeFunctionUrl(this, 'Url', {
      function: this.lambda.function,
      authType: props.urlAuthType,
      invokeMode: InvokeMode.RESPONSE_STREAM,
      allowedOrigins: origins,
    });
  }
}
