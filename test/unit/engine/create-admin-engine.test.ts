import { describe, expect, it, vi } from 'vitest';
import { createInMemoryKeyVault } from '../../../shared/src/adapters/local/in-memory-key-vault.ts';
import { createTokenAdminAuthenticator, hashAdminToken } from '../../../shared/src/admin/admin-authenticators.ts';
import { GatewayError } from '../../../shared/src/core/gateway-error.ts';
import { type AdminRuntime, createAdminEngine } from '../../../shared/src/engine/create-admin-engine.ts';
import type { ControlStore } from '../../../shared/src/ports/control-store.ts';

const unavailable = (): never => {
  throw new GatewayError('The control store is unavailable.', { status: 503, type: 'api_error', code: 'store_unavailable' });
};
/** Every call fails as a store outage would: routes that reach the store answer 503. */
const downControlStore: ControlStore = { get: unavailable, putIfAbsent: unavailable, putIfVersion: unavailable, delete: unavailable, list: unavailable };

const runtime: AdminRuntime = {
  version: '1.2.3',
  control: downControlStore,
  keyVault: createInMemoryKeyVault(),
  clock: { now: () => 0 },
  authenticator: createTokenAdminAuthenticator(hashAdminToken('admin-token-for-tests')),
  close: async () => undefined,
};
const engine = createAdminEngine(runtime);
const call = (method: string, path: string, token: string | null = 'admin-token-for-tests') =>
  engine.handle(new Request(`https://admin.example.com${path}`, { method, headers: token === null ? {} : { authorization: `Bearer ${token}` } }));

describe('createAdminEngine', () => {
  it('answers GET /health with its status and version, without a token', async () => {
    const response = await call('GET', '/health', null);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ status: 'ok', version: '1.2.3' });
  });

  it('accepts a trailing slash and HEAD', async () => {
    expect((await call('GET', '/health/')).status).toBe(200);
    const head = await call('HEAD', '/health');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('answers a write to /health with 405 and the allowed methods', async () => {
    const response = await call('DELETE', '/health');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });

  it('authenticates before routing: 401 without the token, whatever the path', async () => {
    for (const path of ['/v1/keys', '/v1/nothing-here']) {
      const response = await call('GET', path, null);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { type: 'authentication_error' } });
    }
    expect((await call('GET', '/v1/keys', 'not-the-token')).status).toBe(401);
  });

  it('answers an unknown path with an OpenAI-shaped 404 and a known one with the wrong method with 405', async () => {
    const response = await call('POST', '/v1/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'No admin route for POST /v1/nothing-here.', type: 'not_found_error', code: 'route_not_found', param: null },
    });
    const wrongMethod = await call('DELETE', '/v1/keys');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST, GET');
  });

  it('turns a store outage into an OpenAI-shaped error instead of throwing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await call('GET', '/v1/workspaces');
    expect(logged).toHaveBeenCalledOnce();
    logged.mockRestore();
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'store_unavailable' } });
  });
});
