import type { FunctionUrlEvent } from '../../shared/src/http/function-url-event.ts';
import type { LambdaInvocationContext } from '../../shared/src/http/function-url-streaming-handler.ts';

/** A function URL (payload 2.0) POST to /v1/chat/completions, as the Lambda service hands it over. */
export function chatCompletionEvent(body: string, headers: Record<string, string> = {}): FunctionUrlEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/v1/chat/completions',
    rawQueryString: '',
    headers: { host: 'example.lambda-url.us-east-1.on.aws', 'content-type': 'application/json', ...headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'example',
      domainName: 'example.lambda-url.us-east-1.on.aws',
      domainPrefix: 'example',
      http: { method: 'POST', path: '/v1/chat/completions', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '22/Nov/2026:00:50:12 +0000',
      timeEpoch: 1_795_308_612_000,
    },
    body,
    isBase64Encoded: false,
  } as unknown as FunctionUrlEvent;
}

/** The invocation context of one Lambda invocation with a minute left. */
export function invocationContext(): LambdaInvocationContext {
  return {
    awsRequestId: 'invocation-1',
    functionName: 'gateway',
    getRemainingTimeInMillis: () => 60_000,
    callbackWaitsForEmptyEventLoop: true,
  } as LambdaInvocationContext;
}
