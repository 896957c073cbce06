import { describe, expect, it } from 'vitest';
import { handler } from '../../../lambdas/admin/handler.ts';
import type { FunctionUrlEvent } from '../../../shared/src/http/function-url-event.ts';
import { GATEWAY_VERSION } from '../../../shared/src/runtime/version.ts';

function event(method: string, rawPath: string): FunctionUrlEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: 'admin.lambda-url.us-east-1.on.aws' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'admin',
      domainName: 'admin.lambda-url.us-east-1.on.aws',
      domainPrefix: 'admin',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2025:00:00:00 +0000',
      timeEpoch: 1_735_689_600_000,
      authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:role/operator', accountId: '123456789012' } },
    },
    isBase64Encoded: false,
  };
}

const context = {
  awsRequestId: 'request-1',
  functionName: 'admin',
  getRemainingTimeInMillis: () => 10_000,
  callbackWaitsForEmptyEventLoop: true,
} as unknown as Parameters<typeof handler>[1];

describe('admin Lambda handler', () => {
  it('answers GET /health through the function URL result shape', async () => {
    const result = await handler(event('GET', '/health'), context);
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'ok', version: GATEWAY_VERSION }),
      isBase64Encoded: false,
    });
  });

  it('answers an unknown route with a 404', async () => {
    const result = await handler(event('GET', '/v1/keys'), context);
    expect(result.statusCode).toBe(404);
    expect(JSON.parse(result.body).error.code).toBe('route_not_found');
  });
});
