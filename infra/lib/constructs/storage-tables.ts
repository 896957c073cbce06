import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** TTL attribute of every table: epoch seconds. Deletion is lazy, so reads still check it. */
export const TTL_ATTRIBUTE = 'expiresAt';

/** The Logs table's global secondary indexes (docs/INFRA-CONTRACT.md), all projecting every attribute. */
export const LOG_INDEXES = {
  byApiKey: { partitionKey: 'apiKeyId', sortKey: 'createdAt' },
  byWorkspace: { partitionKey: 'workspaceId', sortKey: 'createdAt' },
  byDay: { partitionKey: 'day', sortKey: 'createdAt' },
} as const;

export type LogIndexName = keyof typeof LOG_INDEXES;

export interface StorageTablesProps {
  /**
   * What happens to the tables when the stack is deleted. RETAIN also turns on deletion
   * protection, so a table cannot be dropped by hand by mistake either.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

type DynamoAction =
  | 'GetItem'
  | 'BatchGetItem'
  | 'Query'
  | 'Scan'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchWriteItem'
  | 'ConditionCheckItem';

/**
 * The four DynamoDB tables of the design, split by access pattern and retention: Control (keys,
 * virtual-key metadata, configs, prompts, principals), Counters (budgets, rate windows,
 * rollups), Cache and Logs. All on-demand, with point-in-time recovery, KMS encryption and a
 * TTL attribute. Each `grant*` method names the tables and indexes a function may touch and
 * the exact actions, never `dynamodb:*` or a wildcard resource.
 */
export class StorageTables extends Construct {
  readonly control: Table;
  readonly counters: Table;
  readonly cache: Table;
  readonly logs: Table;

  constructor(scope: Construct, id: string, props: StorageTablesProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const table = (tableId: string): Table =>
      new Table(this, tableId, {
        partitionKey: { name: 'pk', type: AttributeType.STRING },
        sortKey: { name: 'sk', type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // The AWS-managed key (aws/dynamodb) shows up in CloudTrail and needs no key policy;
        // the default AWS-owned key does neither.
        encryption: TableEncryption.AWS_MANAGED,
        timeToLiveAttribute: TTL_ATTRIBUTE,
        deletionProtection: removalPolicy === RemovalPolicy.RETAIN,
        removalPolicy,
      });
    this.control = table('Control');
    this.counters = table('Counters');
    this.cache = table('Cache');
    this.logs = table('Logs');
    for (const [indexName, keys] of Object.entries(LOG_INDEXES)) {
      this.logs.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
        sortKey: { name: keys.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
  }

  /**
   * The gateway: reads control data, updates counters (a PutItem starts a fresh window), reads
   * and writes the cache and its semantic index (a Query per bucket), appends logs.
   */
  grantGateway(grantee: IGrantable): void {
    this.allow(grantee, this.control, ['GetItem', 'BatchGetItem', 'Query']);
    this.allow(grantee, this.counters, ['GetItem', 'BatchGetItem', 'UpdateItem', 'PutItem']);
    this.allow(grantee, this.cache, ['GetItem', 'Query', 'PutItem', 'DeleteItem']);
    this.allow(grantee, this.logs, ['PutItem']);
  }

  /** The admin API: manages control data and counters, purges cache entries, queries logs. */
  grantAdmin(grantee: IGrantable): void {
    this.allow(grantee, this.control, ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
    this.allow(grantee, this.counters, ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem']);
    this.allow(grantee, this.cache, ['DeleteItem']);
    this.allow(grantee, this.logs, ['GetItem', 'Query'], ['byApiKey', 'byWorkspace', 'byDay']);
  }

  /** The analytics rollup: reads a window of logs by day and adds the totals to counters. */
  grantAnalytics(grantee: IGrantable): void {
    this.allow(grantee, this.logs, ['Query'], ['byDay']);
    this.allow(grantee, this.counters, ['GetItem', 'UpdateItem']);
  }

  private allow(grantee: IGrantable, table: Table, actions: readonly DynamoAction[], indexes: readonly LogIndexName[] = []): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn, ...indexes.map((indexName) => `${table.tableArn}/index/${indexName}`)],
      }),
    );
  }
}
