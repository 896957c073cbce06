import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, synthTurnpikeStack } from './synth-turnpike-stack.ts';

let template: Template;
beforeAll(() => {
  ({ template } = synthTurnpikeStack());
});

const TABLES = ['Control', 'Counters', 'Cache', 'Logs'] as const;

function table(template: Template, name: string) {
  const id = logicalIdOf(template, 'AWS::DynamoDB::Table', `Tables${name}`);
  return template.toJSON().Resources[id] as { Properties: Record<string, unknown>; DeletionPolicy?: string };
}

describe('DynamoDB tables', () => {
  it('creates exactly the four tables of the design', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 4);
  });

  it.each(TABLES)('%s is on-demand', (name) => {
    expect(table(template, name).Properties.BillingMode).toBe('PAY_PER_REQUEST');
  });

  it.each(TABLES)('%s has point-in-time recovery', (name) => {
    expect(table(template, name).Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it.each(TABLES)('%s is encrypted with KMS', (name) => {
    expect(table(template, name).Properties.SSESpecification).toEqual({ SSEEnabled: true });
  });

  it.each(TABLES)('%s expires items by the expiresAt TTL attribute', (name) => {
    expect(table(template, name).Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it.each(TABLES)('%s is keyed by pk and sk strings', (name) => {
    const properties = table(template, name).Properties;
    expect(properties.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(properties.AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
    );
  });

  it.each(TABLES)('%s is retained, with deletion protection, by default', (name) => {
    const resource = table(template, name);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it('lets a stage opt out of retaining data', () => {
    const resource = table(synthTurnpikeStack({ 'turnpike:retainData': 'false' }).template, 'Logs');
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(resource.Properties.DeletionProtectionEnabled).toBe(false);
  });

  it('gives the Logs table the indexes the log queries need, sorted by createdAt', () => {
    const indexes = table(template, 'Logs').Properties.GlobalSecondaryIndexes as Array<Record<string, unknown>>;
    expect(indexes.map((index) => [index.IndexName, index.KeySchema, index.Projection])).toEqual(
      [
        ['byApiKey', 'apiKeyId'],
        ['byWorkspace', 'workspaceId'],
        ['byDay', 'day'],
      ].map(([indexName, partitionKey]) => [
        indexName,
        [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: 'createdAt', KeyType: 'RANGE' },
        ],
        { ProjectionType: 'ALL' },
      ]),
    );
  });

  it('gives the other tables no indexes', () => {
    for (const name of ['Control', 'Counters', 'Cache']) {
      expect(table(template, name).Properties.GlobalSecondaryIndexes).toBeUndefined();
    }
  });
});
