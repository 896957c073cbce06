import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { logicalIdOf, synthTurnpikeStack } from './synth-turnpike-stack.ts';

let template: Template;
beforeAll(() => {
  ({ template } = synthTurnpikeStack());
});

function urlOf(template: Template, functionPrefix: string) {
  const functionId = logicalIdOf(template, 'AWS::Lambda::Function', functionPrefix);
  const urls = Object.values(template.findResources('AWS::Lambda::Url', {
    Properties: { TargetFunctionArn: { 'Fn::GetAtt': [functionId, 'Arn'] } },
  }));
  expect(urls).toHaveLength(1);
  return urls[0]?.Properties as Record<string, unknown>;
}

describe('function URLs', () => {
  it('serves the public gateway with auth NONE in response-streaming mode', () => {
    const url = urlOf(template, 'PublicGatewayLambdaFunction');
    expect(url.AuthType).toBe('NONE');
    expect(url.InvokeMode).toBe('RESPONSE_STREAM');
  });

  it('serves the internal gateway with AWS_IAM auth, streaming too', () => {
    const url = urlOf(template, 'InternalGatewayLambdaFunction');
    expect(url.AuthType).toBe('AWS_IAM');
    expect(url.InvokeMode).toBe('RESPONSE_STREAM');
  });

  it('serves the admin API with AWS_IAM auth', () => {
    const url = urlOf(template, 'AdminLambdaFunction');
    expect(url.AuthType).toBe('AWS_IAM');
    expect(url.InvokeMode).toBe('BUFFERED');
  });

  it('lets anyone invoke only the public gateway, and only through its URL', () => {
    const publicPermissions = template.findResources('AWS::Lambda::Permission', { Properties: { Principal: '*' } });
    const publicFunction = logicalIdOf(template, 'AWS::Lambda::Function', 'PublicGatewayLambdaFunction');
    const entries = Object.values(publicPermissions).map((resource) => resource.Properties);
    expect(entries).toHaveLength(2);
    for (const permission of entries) {
      expect(permission.FunctionName).toEqual({ 'Fn::GetAtt': [publicFunction, 'Arn'] });
    }
    expect(entries).toContainEqual(expect.objectContaining({ Action: 'lambda:InvokeFunctionUrl', FunctionUrlAuthType: 'NONE' }));
    expect(entries).toContainEqual(expect.objectContaining({ Action: 'lambda:InvokeFunction', InvokedViaFunctionUrl: true }));
  });

  it('sends no CORS headers unless origins are configured', () => {
    expect(urlOf(template, 'PublicGatewayLambdaFunction').Cors).toBeUndefined();
  });

  it('allows the configured browser origins on the public URL only', () => {
    const configured = synthTurnpikeStack({ 'turnpike:allowedOrigins': 'https://app.example.com, https://admin.example.com' }).template;
    expect(urlOf(configured, 'PublicGatewayLambdaFunction').Cors).toEqual(
      expect.objectContaining({
        AllowOrigins: ['https://app.example.com', 'https://admin.example.com'],
        AllowMethods: ['GET', 'POST'],
        AllowCredentials: false,
        AllowHeaders: expect.arrayContaining(['authorization', 'content-type', 'x-portkey-config']),
        ExposeHeaders: expect.arrayContaining(['x-portkey-trace-id']),
      }),
    );
    expect(urlOf(configured, 'InternalGatewayLambdaFunction').Cors).toBeUndefined();
  });
});

describe('gateway functions', () => {
  it('run the bundled ESM handler on Node 22, ARM64, with the AWS runtime selected', () => {
    for (const [prefix, auth] of [
      ['PublicGatewayLambdaFunction', 'NONE'],
      ['InternalGatewayLambdaFunction', 'AWS_IAM'],
    ]) {
      const id = logicalIdOf(template, 'AWS::Lambda::Function', prefix as string);
      template.hasResource('AWS::Lambda::Function', {
        Properties: Match.objectLike({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          Timeout: 300,
          MemorySize: 1024,
          Environment: {
            Variables: Match.objectLike({
              TURNPIKE_RUNTIME: 'aws',
              TURNPIKE_FUNCTION_URL_AUTH: auth,
              TURNPIKE_SECRET_PREFIX: 'turnpike/dev/virtual-keys/',
              TURNPIKE_CONTROL_TABLE: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'TablesControl') },
              TURNPIKE_LOGS_TABLE: { Ref: logicalIdOf(template, 'AWS::DynamoDB::Table', 'TablesLogs') },
              POWERTOOLS_SERVICE_NAME: 'turnpike-gateway',
              POWERTOOLS_METRICS_NAMESPACE: 'Turnpike',
            }),
          },
        }),
      });
      expect(template.toJSON().Resources[id].Properties.ReservedConcurrentExecutions).toBeUndefined();
    }
  });

  it('takes reserved concurrency, timeout and memory from context', () => {
    const configured = synthTurnpikeStack({
      'turnpike:gatewayReservedConcurrency': '25',
      'turnpike:gatewayTimeoutSeconds': 900,
      'turnpike:gatewayMemoryMb': '512',
    }).template;
    const id = logicalIdOf(configured, 'AWS::Lambda::Function', 'PublicGatewayLambdaFunction');
    expect(configured.toJSON().Resources[id].Properties).toEqual(
      expect.objectContaining({ ReservedConcurrentExecutions: 25, Timeout: 900, MemorySize: 512 }),
    );
  });

  it('outputs both gateway URLs, the admin URL and the dashboard URL', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(outputs.GatewayUrl?.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Url', 'PublicGatewayUrl'), 'FunctionUrl'] });
    expect(outputs.InternalGatewayUrl?.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Url', 'InternalGatewayUrl'), 'FunctionUrl'] });
    expect(outputs.AdminUrl?.Value).toEqual({ 'Fn::GetAtt': [logicalIdOf(template, 'AWS::Lambda::Url', 'AdminUrl'), 'FunctionUrl'] });
    expect(JSON.stringify(outputs.DashboardUrl?.Value)).toContain('#dashboards:name=');
  });
});
