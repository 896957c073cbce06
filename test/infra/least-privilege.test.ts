import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, synthTurnpikeStack } from './synth-turnpike-stack.ts';

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

let template: Template;
beforeAll(() => {
  ({ template } = synthTurnpikeStack());
});

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of the inline policies attached to the role of the function `prefix`. */
function statementsOf(template: Template, rolePrefix: string): Statement[] {
  const role = logicalIdOf(template, 'AWS::IAM::Role', rolePrefix);
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((ref) => ref.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function allStatements(template: Template): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The statements granting `action`, e.g. `dynamodb:PutItem`. */
function granting(statements: Statement[], action: string): Statement[] {
  return statements.filter((statement) => asList(statement.Action).includes(action));
}

const SECRET_PREFIX_ARN = {
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:turnpike/dev/virtual-keys/*'],
  ],
};

describe('least-privilege IAM', () => {
  it('uses a resource of * only for secretsmanager:ListSecrets, which supports no other', () => {
    const wildcard = allStatements(template).filter((statement) => asList(statement.Resource).includes('*'));
    expect(wildcard.map((statement) => statement.Action)).toEqual(['secretsmanager:ListSecrets']);
  });

  it('lets only the gateways invoke Bedrock models, and nothing else of Bedrock', () => {
    const invoking = granting(allStatements(template), 'bedrock:InvokeModel');
    // The public and the internal gateway, one statement each.
    expect(invoking).toHaveLength(2);
    for (const statement of invoking) {
      expect(asList(statement.Action).sort()).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
      const resources = JSON.stringify(statement.Resource);
      expect(resources).toContain(':foundation-model/*');
      expect(resources).toContain(':inference-profile/*');
      expect(resources).not.toContain('"*"');
    }
  });

  it('lets the gateways put budget alerts on the default event bus only', () => {
    const putting = granting(allStatements(template), 'events:PutEvents');
    expect(putting).toHaveLength(2);
    for (const statement of putting) expect(JSON.stringify(statement.Resource)).toContain(':event-bus/default');
  });

  it('grants no wildcard actions', () => {
    const actions = allStatements(template).flatMap((statement) => asList(statement.Action));
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('attaches no managed policies (AWSLambdaBasicExecutionRole covers every log group)', () => {
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('lets each function write only to its own log group', () => {
    for (const name of ['PublicGateway', 'InternalGateway', 'Admin', 'Analytics']) {
      const [logs] = granting(statementsOf(template, `${name}LambdaRole`), 'logs:PutLogEvents');
      expect(logs?.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Logs::LogGroup', `${name}LambdaLogs`), 'Arn'] });
    }
  });

  it('names the table in every DynamoDB statement', () => {
    const tableIds = new Set(Object.keys(template.findResources('AWS::DynamoDB::Table')));
    const dynamo = allStatements(template).filter((statement) => asList(statement.Action).some((action) => action.startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const statement of dynamo) {
      for (const resource of asList(statement.Resource as object)) {
        const serialized = JSON.stringify(resource);
        const tableId = /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(serialized)?.[1];
        expect(tableIds.has(tableId ?? ''), serialized).toBe(true);
        expect(serialized).not.toMatch(/index\/\*/);
      }
    }
  });

  it('lets the gateways read, not manage, secrets, and only under the vault prefix', () => {
    for (const name of ['PublicGateway', 'InternalGateway']) {
      const secrets = statementsOf(template, `${name}LambdaRole`).filter((statement) =>
        asList(statement.Action).some((action) => action.startsWith('secretsmanager:')),
      );
      expect(secrets).toEqual([
        { Effect: 'Allow', Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'], Resource: SECRET_PREFIX_ARN },
      ]);
    }
  });

  it('lets the gateways decrypt with the vault key only through Secrets Manager', () => {
    const vaultKey = logicalIdOf(template, 'AWS::KMS::Key', 'VaultKey');
    for (const name of ['PublicGateway', 'InternalGateway']) {
      const kms = statementsOf(template, `${name}LambdaRole`).filter((statement) => asList(statement.Action).some((action) => action.startsWith('kms:')));
      expect(kms).toEqual([
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: { 'Fn::GetAtt': [vaultKey, 'Arn'] },
          Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
        },
      ]);
    }
  });

  it('lets the admin function manage secrets under the vault prefix', () => {
    const statements = statementsOf(template, 'AdminLambdaRole');
    const [manage] = granting(statements, 'secretsmanager:CreateSecret');
    expect(manage?.Resource).toEqual(SECRET_PREFIX_ARN);
    expect(asList(manage?.Action ?? [])).toEqual(
      expect.arrayContaining(['secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecret', 'secretsmanager:DeleteSecret']),
    );
    const [kms] = granting(statements, 'kms:GenerateDataKey');
    expect(kms?.Resource).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::KMS::Key', 'VaultKey'), 'Arn'] });
    expect(kms?.Condition).toBeDefined();
  });

  it('gives the gateways append-only access to the Logs table', () => {
    const logsTable = logicalIdOf(template, 'AWS::DynamoDB::Table', 'TablesLogs');
    const onLogs = statementsOf(template, 'PublicGatewayLambdaRole').filter(
      (statement) => JSON.stringify(statement.Resource).includes(logsTable),
    );
    expect(onLogs.map((statement) => statement.Action)).toEqual(['dynamodb:PutItem']);
  });

  it('gives the analytics function no access to secrets, control data or the cache', () => {
    const statements = statementsOf(template, 'AnalyticsLambdaRole');
    const serialized = JSON.stringify(statements);
    expect(serialized).not.toContain('secretsmanager:');
    expect(serialized).not.toContain('kms:');
    expect(serialized).not.toContain(logicalIdOf(template, 'AWS::DynamoDB::Table', 'TablesControl'));
    expect(serialized).not.toContain(logicalIdOf(template, 'AWS::DynamoDB::Table', 'TablesCache'));
  });

  it('rotates both KMS keys', () => {
    const keys = Object.values(template.findResources('AWS::KMS::Key'));
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.Properties.EnableKeyRotation).toBe(true);
  });
});
