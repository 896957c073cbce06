import type { RemovalPolicy } from 'aws-cdk-lib';
import { FunctionUrlAuthType, InvokeMode } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { TurnpikeFunctionUrl } from './function-urls.ts';
import type { KeyVault } from './key-vault.ts';
import { powertoolsEnvironment } from './metric-names.ts';
import type { StorageTables } from './storage-tables.ts';
import { TurnpikeFunction } from './turnpike-function.ts';

export interface AdminFunctionProps {
  readonly tables: StorageTables;
  readonly vault: KeyVault;
  /** Stage-wide variables. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The admin API (lambdas/admin/handler.ts) behind an AWS_IAM function URL: only principals
 * granted lambda:InvokeFunctionUrl can reach it. It manages keys, configs and virtual-key
 * secrets, so it is the one function allowed to write the vault.
 */
export class AdminFunction extends Construct {
  readonly lambda: TurnpikeFunction;
  readonly url: TurnpikeFunctionUrl;

  constructor(scope: Construct, id: string, props: AdminFunctionProps) {
    super(scope, id);
    this.lambda = new TurnpikeFunction(this, 'Lambda', {
      lambdaName: 'admin',
      description: 'Turnpike admin API (IAM callers)',
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      environment: {
        ...props.environment,
        TURNPIKE_RUNTIME: 'aws',
        TURNPIKE_CONTROL_TABLE: props.tables.control.tableName,
        TURNPIKE_COUNTERS_TABLE: props.tables.counters.tableName,
        TURNPIKE_CACHE_TABLE: props.tables.cache.tableName,
        TURNPIKE_LOGS_TABLE: props.tables.logs.tableName,
        TURNPIKE_SECRET_PREFIX: props.vault.secretPrefix,
        TURNPIKE_SECRETS_KMS_KEY_ARN: props.vault.key.keyArn,
        ...powertoolsEnvironment('turnpike-admin'),
      },
    });
    props.tables.grantAdmin(this.lambda.role);
    props.vault.grantManage(this.lambda.role);
    props.vault.acknowledgeGrantFindings(this.lambda.role, { manage: true });

    this.url = new TurnpikeFunctionUrl(this, 'Url', {
      function: this.lambda.function,
      authType: FunctionUrlAuthType.AWS_IAM,
      invokeMode: InvokeMode.BUFFERED,
    });
  }
}
