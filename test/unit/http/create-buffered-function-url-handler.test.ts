import { describe, expect, it, vi } from 'vitest';
import {
  bufferedResultFromResponse,
  createBufferedFunctionUrlHandler,
} from '../../../shared/src/http/create-buffered-function-url-handler.ts';
import type { FunctionUrlEvent } from '../../../shared/src/http/function-url-event.ts';

function event(method: string, rawPath: string): FunctionUrlEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString: '',
    headers: { host: 'abc.lambda-url.us-east-1.on.aws' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc',
      domainName: 'abc.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2025:00:00:00 +0000',
      timeEpoch: 1_735_689_600_000,
    },
    isBase64Encoded: false,
  };
}

describe('createBufferedFunctionUrlHandler', () => {
  it('hands the request to the handler and returns its whole response', async () => {
    const handle = vi.fn(async (request: Request) =>
      Response.json({ path: new URL(request.url).pathname, method: request.method }, { status: 201, headers: { 'x-test': 'yes' } }),
    );
    const result = await createBufferedFunctionUrlHandler({ handle })(event('GET', '/health'));
    expect(result).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json', 'x-test': 'yes' },
      body: '{"path":"/health","method":"GET"}',
      isBase64Encoded: false,
    });
  });

  it('turns a thrown error into an OpenAI-shaped 500', async () => {
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await createBufferedFunctionUrlHandler({ handle: () => Promise.reject(new Error('secret detail')) })(event('GET', '/'));
    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('secret detail');
    expect(JSON.parse(result.body)).toEqual({ error: expect.objectContaining({ type: 'api_error' }) });
    errorLog.mockRestore();
  });
});

describe('bufferedResultFromResponse', () => {
  it('sends binary bodies base64-encoded and cookies apart from headers', async () => {
    const headers = new Headers({ 'content-type': 'application/octet-stream' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    const result = await bufferedResultFromResponse(new Response(new Uint8Array([0, 255]), { headers }));
    expect(result).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/octet-stream' },
      cookies: ['a=1', 'b=2'],
      body: 'AP8=',
      isBase64Encoded: true,
    });
  });
});
