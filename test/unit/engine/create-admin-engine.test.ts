import { describe, expect, it } from 'vitest';
import { createAdminEngine } from '../../../shared/src/engine/create-admin-engine.ts';

const engine = createAdminEngine({ version: '1.2.3' });
const call = (method: string, path: string) => engine.handle(new Request(`https://admin.example.com${path}`, { method }));

describe('createAdminEngine', () => {
  it('answers GET /health with its status and version', async () => {
    const response = await call('GET', '/health');
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

  it('answers any other path with an OpenAI-shaped 404', async () => {
    const response = await call('POST', '/v1/keys');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: { message: 'No admin route for POST /v1/keys.', type: 'not_found_error', code: 'route_not_found', param: null },
    });
  });

  it('answers a write to /health with 405 and the allowed methods', async () => {
    const response = await call('DELETE', '/health');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD');
  });
});
