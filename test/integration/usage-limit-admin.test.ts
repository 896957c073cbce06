import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGateway, startLocalGateway } from '../../local/start-local-gateway.ts';

/** Budgets and rate limits set through the admin API of `npm start`, enforced by its gateway. */

const ADMIN_TOKEN = 'usage-limit-admin-token-0123456789';
let local: LocalGateway;

async function admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${local.adminUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

function chat(key: string): Promise<Response> {
  return fetch(`${local.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model: 'mock-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

/** The budget's usage once no request holds a reservation on it: the server settles shortly after each answer. */
async function settledUsage(budgetId: string): Promise<Record<string, unknown>> {
  for (let waited = 0; waited < 200; waited++) {
    const usage = await admin('GET', `/v1/budgets/${budgetId}/usage`);
    if (usage.body.reserved === 0) return usage.body;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the reservations on ${budgetId} were not settled`);
}

beforeAll(async () => {
  local = await startLocalGateway({
    environment: { TURNPIKE_DATA_DIR: ':memory:', TURNPIKE_CONFIG_FILE: '', TURNPIKE_LOG_REQUESTS: 'false', TURNPIKE_ADMIN_TOKEN: ADMIN_TOKEN, TURNPIKE_AUTH_CACHE_TTL_MS: '0' },
  });
});
afterAll(() => local.close());

describe('budget and rate-limit admin', () => {
  it('sets, shows, enforces, reports and resets a token budget', async () => {
    expect((await admin('POST', '/v1/workspaces', { id: 'ws-limits', name: 'Limits' })).status).toBe(201);
    const set = await admin('PUT', '/v1/budgets/tiny', { unit: 'tokens', limit: 100, period: 'daily', soft_threshold: 0.5 });
    expect(set).toMatchObject({ status: 201, body: { id: 'tiny', unit: 'tokens', limit: 100, period: 'daily', soft_threshold: 0.5 } });
    expect((await admin('PUT', '/v1/budgets/tiny', { unit: 'tokens', limit: 60, period: 'daily' })).status).toBe(200);
    expect((await admin('GET', '/v1/budgets/tiny')).body).toMatchObject({ limit: 60 });
    expect((await admin('PUT', '/v1/budgets/bad', { unit: 'euros', limit: 1, period: 'daily' })).status).toBe(400);

    const key = await admin('POST', '/v1/keys', { workspace_id: 'ws-limits', name: 'budgeted', budget_id: 'tiny' });
    expect(key.status).toBe(201);
    const secret = String(key.body.secret);
    // Each call reserves about 14 prompt tokens + 10 output tokens.
    const statuses: number[] = [];
    for (let call = 0; call < 5; call++) {
      statuses.push((await chat(secret)).status);
      await settledUsage('tiny');
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    const refused = await chat(secret);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ error: { code: 'budget_exceeded', param: 'tiny' } });

    const usage = await settledUsage('tiny');
    expect(usage).toMatchObject({ budget_id: 'tiny', unit: 'tokens', limit: 60 });
    expect(Number(usage.spent)).toBeGreaterThan(0);
    const reset = await admin('POST', '/v1/budgets/tiny/reset');
    expect(reset.body).toMatchObject({ spent: 0, remaining: 60 });
    expect((await chat(secret)).status).toBe(200);
    await settledUsage('tiny');

    const own = await fetch(`${local.url}/v1/usage`, { headers: { authorization: `Bearer ${secret}` } });
    expect(own.status).toBe(200);
    const report = (await own.json()) as { budgets: { budget_id: string; limit: number; spent: number; remaining: number }[] };
    expect(report.budgets).toHaveLength(1);
    expect(report.budgets[0]).toMatchObject({ budget_id: 'tiny', limit: 60 });
    expect(report.budgets[0]?.spent).toBeGreaterThan(0);
    // Locally a call without a key is anonymous (no key required): it has no limits of its own.
    expect(await (await fetch(`${local.url}/v1/usage`)).json()).toMatchObject({ budgets: [], rate_limits: [] });
  });

  it('sets a rate limit and answers with OpenAI headers', async () => {
    expect((await admin('PUT', '/v1/rate-limits/two-rpm', { requests_per_minute: 2 })).body).toMatchObject({ id: 'two-rpm', requests_per_minute: 2 });
    const key = await admin('POST', '/v1/keys', { workspace_id: 'ws-limits', name: 'limited', rate_limit_id: 'two-rpm' });
    const secret = String(key.body.secret);
    const first = await chat(secret);
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('2');
    const answers = [first, await chat(secret), await chat(secret)];
    const statuses = answers.map((answer) => answer.status);
    // A minute boundary between the calls lets one more through; never fewer.
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
    const limited = answers.find((answer) => answer.status === 429);
    if (limited !== undefined) {
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(await limited.json()).toMatchObject({ error: { code: 'rate_limit_exceeded' } });
    }
    expect((await admin('DELETE', '/v1/rate-limits/two-rpm')).status).toBe(204);
    expect((await admin('GET', '/v1/rate-limits/two-rpm')).status).toBe(404);
  });
});
