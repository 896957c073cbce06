import { describe, expect, it, vi } from 'vitest';
import { completeResponse } from '@turnpike/shared/engine/complete-response';
import { createFunctionUrlHandler, streamingResultFromResponse } from '@turnpike/shared/http/create-function-url-handler';
import {
  iamPrincipalFromFunctionUrlEvent,
  requestFromFunctionUrlEvent,
  type FunctionUrlEvent,
} from '@turnpike/shared/http/function-url-event';

function functionUrlEvent(overrides: Partial<FunctionUrlEvent> = {}, method = 'GET'): FunctionUrlEvent {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/v1/chat/completions',
    rawQueryString: '',
    headers: { host: 'abc123.lambda-url.eu-west-1.on.aws', 'x-forwarded-proto': 'https' },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc123',
      domainName: 'abc123.lambda-url.eu-west-1.on.aws',
      domainPrefix: 'abc123',
      http: { method, path: '/v1/chat/completions', protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'request-1',
      routeKey: '$default',
      stage: '$default',
      time: '05/Aug/2022:08:14:39 +0000',
      timeEpoch: 1659687279885,
    },
    isBase64Encoded: false,
    ...overrides,
  };
}

async function readText(body: ReadableStream<Uint8Array> | string): Promise<string> {
  return typeof body === 'string' ? body : new Response(body).text();
}

describe('requestFromFunctionUrlEvent', () => {
  it('builds the URL from the domain name, raw path and raw query string', () => {
    const request = requestFromFunctionUrlEvent(
      functionUrlEvent({ rawPath: '/v1/models', rawQueryString: 'a=1&a=2&b=x%20y' }),
    );
    expect(request.url).toBe('https://abc123.lambda-url.eu-west-1.on.aws/v1/models?a=1&a=2&b=x%20y');
    expect(request.method).toBe('GET');
  });

  it('leaves out the question mark when there is no query string', () => {
    expect(requestFromFunctionUrlEvent(functionUrlEvent()).url).toBe(
      'https://abc123.lambda-url.eu-west-1.on.aws/v1/chat/completions',
    );
  });

  it('uses http when the emulator says the request came over plain http', () => {
    const event = functionUrlEvent({ headers: { 'x-forwarded-proto': 'http' } });
    event.requestContext.domainName = '127.0.0.1:8787';
    expect(requestFromFunctionUrlEvent(event).url).toBe('http://127.0.0.1:8787/v1/chat/completions');
  });

  it('copies headers and turns cookies back into one cookie header', () => {
    const request = requestFromFunctionUrlEvent(
      functionUrlEvent({
        headers: { 'x-portkey-provider': 'openai', accept: 'text/event-stream,application/json' },
        cookies: ['session=abc', 'theme=dark'],
      }),
    );
    expect(request.headers.get('x-portkey-provider')).toBe('openai');
    expect(request.headers.get('accept')).toBe('text/event-stream,application/json');
    expect(request.headers.get('cookie')).toBe('session=abc; theme=dark');
  });

  it('passes a plain text body through', async () => {
    const request = requestFromFunctionUrlEvent(
      functionUrlEvent({ body: '{"model":"gpt-4o"}', headers: { 'content-type': 'application/json' } }, 'POST'),
    );
    expect(request.method).toBe('POST');
    expect(await request.text()).toBe('{"model":"gpt-4o"}');
  });

  it('decodes a base64 body to its exact bytes', async () => {
    const bytes = new Uint8Array([0, 255, 1, 254, 10, 13, 128]);
    const request = requestFromFunctionUrlEvent(
      functionUrlEvent({ body: Buffer.from(bytes).toString('base64'), isBase64Encoded: true }, 'POST'),
    );
    expect(new Uint8Array(await request.arrayBuffer())).toEqual(bytes);
  });

  it('drops the body of GET and HEAD requests', () => {
    expect(requestFromFunctionUrlEvent(functionUrlEvent({ body: 'ignored' }, 'GET')).body).toBeNull();
    expect(requestFromFunctionUrlEvent(functionUrlEvent({ body: 'ignored' }, 'HEAD')).body).toBeNull();
  });
});

describe('iamPrincipalFromFunctionUrlEvent', () => {
  it('returns the signer ARN from the IAM authorizer context', () => {
    const event = functionUrlEvent();
    event.requestContext.authorizer = {
      iam: { accountId: '123456789012', userArn: 'arn:aws:iam::123456789012:role/batch', userId: 'AROAEXAMPLE' },
    };
    expect(iamPrincipalFromFunctionUrlEvent(event)).toBe('arn:aws:iam::123456789012:role/batch');
  });

  it('returns undefined for an unauthenticated URL, whatever the headers say', () => {
    const event = functionUrlEvent({ headers: { 'x-turnpike-iam-principal': 'arn:aws:iam::1:root' } });
    expect(iamPrincipalFromFunctionUrlEvent(event)).toBeUndefined();
  });
});

describe('streamingResultFromResponse', () => {
  it('moves set-cookie headers to cookies and joins repeated headers', async () => {
    const headers = new Headers({ 'content-type': 'application/json' });
    headers.append('set-cookie', 'a=1; Path=/');
    headers.append('set-cookie', 'b=2; HttpOnly');
    headers.append('x-portkey-cache-status', 'MISS');
    headers.append('vary', 'accept');
    headers.append('vary', 'origin');
    const result = streamingResultFromResponse(new Response('{"ok":true}', { status: 201, headers }));

    expect(result.statusCode).toBe(201);
    expect(result.headers).toEqual({
      'content-type': 'application/json',
      'x-portkey-cache-status': 'MISS',
      vary: 'accept, origin',
    });
    expect(result.cookies).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(await readText(result.body)).toBe('{"ok":true}');
  });

  it('gives an empty string body and no cookies for a response without a body', () => {
    const result = streamingResultFromResponse(new Response(null, { status: 204 }));
    expect(result).toEqual({ statusCode: 204, headers: {}, body: '' });
  });

  it('hands the streaming body over without reading it', async () => {
    const encoder = new TextEncoder();
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls <= 2) controller.enqueue(encoder.encode(`data: ${pulls}\n\n`));
        else controller.close();
      },
    });
    const result = streamingResultFromResponse(
      new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    );
    expect(result.body).toBeInstanceOf(ReadableStream);
    expect(await readText(result.body)).toBe('data: 1\n\ndata: 2\n\n');
  });
});

describe('streamingResultFromResponse with a complete answer', () => {
  it('hands a complete JSON answer over as one string', () => {
    const bytes = new TextEncoder().encode('{"id":"chatcmpl-1","content":"h\u00e9llo \u{1F98A}"}');
    const result = streamingResultFromResponse(completeResponse(bytes, { headers: { 'content-type': 'application/json' } }));
    expect(result.body).toBe('{"id":"chatcmpl-1","content":"h\u00e9llo \u{1F98A}"}');
  });

  it('keeps a leading byte order mark, so the string encodes back to the same bytes', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]);
    const result = streamingResultFromResponse(completeResponse(bytes, { headers: { 'content-type': 'application/json' } }));
    expect(Buffer.from(result.body as string, 'utf8')).toEqual(Buffer.from(bytes));
  });

  it('streams bytes that are not UTF-8 untouched', async () => {
    const bytes = new Uint8Array([0x49, 0x44, 0x33, 0xff, 0xfe, 0x00, 0x80]);
    const result = streamingResultFromResponse(completeResponse(bytes, { headers: { 'content-type': 'audio/mpeg' } }));
    expect(result.body).toBeInstanceOf(ReadableStream);
    expect(new Uint8Array(await new Response(result.body as ReadableStream<Uint8Array>).arrayBuffer())).toEqual(bytes);
  });

  it('streams an answer longer than one write of middy, whose string chunking could split a character', async () => {
    const text = `"${'\u{1F98A}'.repeat(9000)}"`;
    const result = streamingResultFromResponse(completeResponse(new TextEncoder().encode(text), { headers: { 'content-type': 'application/json' } }));
    expect(result.body).toBeInstanceOf(ReadableStream);
    expect(await readText(result.body)).toBe(text);
  });

  it('streams an ordinary Response, and a complete one whose body was already read', async () => {
    expect(streamingResultFromResponse(new Response('{"ok":true}')).body).toBeInstanceOf(ReadableStream);
    const read = completeResponse('{"ok":true}', {});
    await read.text();
    expect(streamingResultFromResponse(read).body).not.toBe('{"ok":true}');
  });
});

describe('createFunctionUrlHandler', () => {
  it('gives the engine the request and returns its response', async () => {
    let seen: Request | undefined;
    const handler = createFunctionUrlHandler({
      handle: (request) => {
        seen = request;
        return Promise.resolve(Response.json({ object: 'list', data: [] }, { headers: { 'x-portkey-trace-id': 't1' } }));
      },
    });
    const result = await handler(functionUrlEvent({ rawPath: '/v1/models' }), {});
    expect(seen?.url).toBe('https://abc123.lambda-url.eu-west-1.on.aws/v1/models');
    expect(result.statusCode).toBe(200);
    expect(result.headers['x-portkey-trace-id']).toBe('t1');
    expect(JSON.parse(await readText(result.body))).toEqual({ object: 'list', data: [] });
  });

  it('renders an engine that throws as an OpenAI-shaped 500 instead of a crashed invocation', async () => {
    const handler = createFunctionUrlHandler({ handle: () => Promise.reject(new Error('boom: secret detail')) });
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const result = await handler(functionUrlEvent(), {});
      expect(result.statusCode).toBe(500);
      expect(result.headers['content-type']).toBe('application/json');
      const body = await readText(result.body);
      expect(JSON.parse(body)).toEqual({
        error: { message: 'The gateway failed to handle the request.', type: 'api_error', code: 'internal_error', param: null },
      });
      expect(body).not.toContain('secret detail');
      expect(consoleError).toHaveBeenCalledTimes(1);
    } finally {
      consoleError.mockRestore();
    }
  });
});
