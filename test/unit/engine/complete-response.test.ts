import { describe, expect, it } from 'vitest';
import { PayloadTooLargeError } from '../../../shared/src/core/gateway-error.ts';
import { CompleteRequest, completeBodyOf, completeResponse } from '../../../shared/src/engine/complete-response.ts';
import { readRequestBody } from '../../../shared/src/engine/read-request-body.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('completeResponse', () => {
  it('behaves as a Response with that body to anyone who reads it', async () => {
    const response = completeResponse(bytes('{"ok":true}'), { status: 201, headers: { 'content-type': 'application/json' } });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.bodyUsed).toBe(false);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('makes the body stream on demand, after which the body is no longer handed over whole', async () => {
    const response = completeResponse('hello', {});
    expect(completeBodyOf(response)).toBe('hello');
    const stream = response.body as ReadableStream<Uint8Array>;
    expect(response.body).toBe(stream);
    expect(completeBodyOf(response)).toBeUndefined();
    expect(await new Response(stream).text()).toBe('hello');
    expect(response.bodyUsed).toBe(true);
  });

  it('reads bytes as arrayBuffer without the neighbours of a view', async () => {
    const backing = bytes('xxhelloxx');
    const response = completeResponse(backing.subarray(2, 7), {});
    expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('hello');
  });

  it('refuses a body with a null-body status, as Response does', () => {
    expect(() => completeResponse('x', { status: 204 })).toThrow(TypeError);
    expect(completeResponse('', { status: 204 }).status).toBe(204);
  });
});

describe('CompleteRequest', () => {
  it('is a Request with its body for any reader, and null body without one', async () => {
    const request = new CompleteRequest('https://gateway.test/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' } }, '{"model":"m"}');
    expect(request).toBeInstanceOf(Request);
    expect(request.method).toBe('POST');
    expect(await request.json()).toEqual({ model: 'm' });
    expect(new CompleteRequest('https://gateway.test/health', { method: 'GET' }, undefined).body).toBeNull();
    expect(() => new CompleteRequest('https://gateway.test/', { method: 'GET' }, 'x')).toThrow(TypeError);
  });

  it('gives readRequestBody the body as it is, and still refuses one past the limit', async () => {
    const request = new CompleteRequest('https://gateway.test/v1/embeddings', { method: 'POST' }, 'h\u00e9llo');
    expect(await readRequestBody(request, 100)).toEqual(bytes('h\u00e9llo'));
    expect(request.bodyUsed).toBe(true);
    const large = new CompleteRequest('https://gateway.test/v1/embeddings', { method: 'POST' }, 'x'.repeat(101));
    await expect(readRequestBody(large, 100)).rejects.toBeInstanceOf(PayloadTooLargeError);
  });
});
