import { describe, expect, it } from 'vitest';
import { parseInput, readJsonBody } from '../../../shared/src/admin/admin-input.ts';
import { readPageRequest } from '../../../shared/src/admin/admin-listing.ts';
import { createAdminRouter } from '../../../shared/src/admin/admin-router.ts';
import { GatewayError } from '../../../shared/src/core/gateway-error.ts';
import * as z from '../../../shared/src/protocol/zod-mini-english.ts';

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!(error instanceof GatewayError)) throw new Error(`expected a GatewayError, got ${String(error)}`);
  return error;
}

describe('admin input', () => {
  const schema = z.strictObject({ scopes: z.optional(z.strictObject({ models: z.optional(z.array(z.string())) })), secret: z.string().check(z.minLength(8, 'too short')) });

  it('names the failing field by its path in param and message', () => {
    expect(() => parseInput(schema, { secret: 'long-enough', scopes: { models: ['a', 1] } })).toThrow(
      expect.objectContaining({ status: 400, param: 'scopes.models[1]', message: 'scopes.models[1]: expected string' }),
    );
    expect(() => parseInput(schema, [])).toThrow(expect.objectContaining({ param: 'body', message: 'body: expected object' }));
  });

  it('never repeats a rejected value in the message', () => {
    try {
      parseInput(schema, { secret: 'sk-abc' });
      throw new Error('expected a refusal');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('sk-abc');
      expect(error).toMatchObject({ param: 'secret', message: 'secret: too short' });
    }
  });

  it('reads JSON bodies, refusing invalid JSON (400) and oversized bodies (413)', async () => {
    const post = (body: string) => new Request('http://admin.test/', { method: 'POST', body });
    expect(await readJsonBody(post('{"a":1}'))).toEqual({ a: 1 });
    expect(await readJsonBody(post(''))).toBeUndefined();
    expect(await rejection(readJsonBody(post('{')))).toMatchObject({ status: 400, code: 'invalid_json' });
    expect(await rejection(readJsonBody(post(JSON.stringify({ a: 'x'.repeat(100) })), 50))).toMatchObject({ status: 413 });
  });

  it('reads limit (1 to 200, default 50) and cursor', () => {
    expect(readPageRequest(new URLSearchParams())).toEqual({ limit: 50, cursor: undefined });
    expect(readPageRequest(new URLSearchParams('limit=200&cursor=abc'))).toEqual({ limit: 200, cursor: 'abc' });
    for (const limit of ['0', '201', '1.5', 'ten', '-1']) {
      expect(() => readPageRequest(new URLSearchParams({ limit }))).toThrow(expect.objectContaining({ status: 400, param: 'limit' }));
    }
  });

  it('routes by template, decoding path parameters', () => {
    const handler = async () => new Response(null);
    const route = createAdminRouter([
      { method: 'GET', path: '/v1/keys/{id}', handler },
      { method: 'POST', path: '/v1/keys/{id}/rotate', handler },
    ]);
    expect(route('GET', '/v1/keys/a%20b').params).toEqual({ id: 'a b' });
    expect(() => route('DELETE', '/v1/keys/x')).toThrow(expect.objectContaining({ status: 405 }));
    expect(() => route('GET', '/v1/keys/x/rotate/extra')).toThrow(expect.objectContaining({ status: 404 }));
    expect(() => route('GET', '/v1/keys/%E0%A4%A')).toThrow(expect.objectContaining({ status: 400 }));
  });
});
