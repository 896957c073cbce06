import { describe, expect, it } from 'vitest';
import type { GatewayRequestContext } from '../../../shared/src/engine/gateway-engine.ts';
import { createFunctionUrlHandler } from '../../../shared/src/http/create-function-url-handler.ts';
import type { FunctionUrlEvent } from '../../../shared/src/http/function-url-event.ts';

function eventWithAuthorizer(userArn: string): FunctionUrlEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/health',
    rawQueryString: '',
    headers: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'x',
      domainName: 'x.lambda-url.us-east-1.on.aws',
      domainPrefix: 'x',
      http: { method: 'GET', path: '/health', protocol: 'HTTP/1.1', sourceIp: '10.0.0.1', userAgent: 'test' },
      requestId: 'r',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 0,
      authorizer: { iam: { userArn } },
    },
    isBase64Encoded: false,
  };
}

function recordingEngine(functionUrlAuth: 'NONE' | 'AWS_IAM' | undefined) {
  const contexts: Array<GatewayRequestContext | undefined> = [];
  const engine = {
    functionUrlAuth,
    async handle(_request: Request, context?: GatewayRequestContext) {
      contexts.push(context);
      return new Response('ok');
    },
  };
  return { engine, contexts };
}

describe('createFunctionUrlHandler and the IAM authorizer', () => {
  it('passes the signer ARN to an engine behind an AWS_IAM URL', async () => {
    const { engine, contexts } = recordingEngine('AWS_IAM');
    await createFunctionUrlHandler(engine)(eventWithAuthorizer('arn:aws:iam::123456789012:role/a'), {});
    expect(contexts).toEqual([{ iamPrincipalArn: 'arn:aws:iam::123456789012:role/a' }]);
  });

  it('passes nothing to an engine behind a NONE URL, whatever the event says', async () => {
    for (const auth of ['NONE', undefined] as const) {
      const { engine, contexts } = recordingEngine(auth);
      await createFunctionUrlHandler(engine)(eventWithAuthorizer('arn:aws:iam::123456789012:role/a'), {});
      expect(contexts).toEqual([undefined]);
    }
  });
});
