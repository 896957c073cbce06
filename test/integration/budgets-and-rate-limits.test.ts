import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import { budgetCounterKey, budgetPeriodBounds } from '../../shared/src/budgets/budget-period.ts';
import { type AccessRepository, createAccessRepository } from '../../shared/src/keys/access-repository.ts';
import type { CounterStore } from '../../shared/src/ports/counter-store.ts';
import { type LocalStores, openLocalStores } from '../../shared/src/runtime/local-stores.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

/**
 * Exactness of budgets and rate limits: TWO gateway runtimes (in this process, each with its
 * own engine, definition cache and HTTP server) on ONE dynalite database, hit concurrently by
 * the openai SDK. Two child processes would test the same thing (the store is the only shared
 * state) but take far longer to start here.
 */

const WORKSPACE = 'ws-budget';
const REQUESTS = 200;
let local: LocalStores;
let gateways: TestGateway[];
let access: AccessRepository;
let pricesDir: string;

beforeAll(async () => {
  pricesDir = mkdtempSync(join(tmpdir(), 'turnpike-prices-'));
  const pricesFile = join(pricesDir, 'prices.json');
  // 100 USD per million tokens: each mock token costs $0.0001.
  writeFileSync(pricesFile, JSON.stringify({ date: '2026-01-01', providers: { mock: { 'mock-model': { input: 100, output: 100 } } } }));
  local = await openLocalStores({ TURNPIKE_DATA_DIR: ':memory:' }, systemClock);
  const env = { TURNPIKE_REQUIRE_GATEWAY_KEY: 'true', TURNPIKE_PRICES_FILE: pricesFile };
  gateways = await Promise.all([0, 1].map(() => startTestGateway(env, { stores: local.stores, keyVault: local.keyVault })));
  access = createAccessRepository(local.stores.control, local.keyVault, systemClock, { counters: local.stores.counters });
});

afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await local.close();
  rmSync(pricesDir, { recursive: true, force: true });
});

function clientFor(gateway: TestGateway, apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: gateway.baseURL, maxRetries: 0 });
}

type Outcome = { ok: true } | { ok: false; status: number | undefined; code: string | null | undefined; headers: Headers | undefined };

async function call(client: OpenAI, stream: boolean): Promise<Outcome> {
  const body = { model: 'mock-model', max_tokens: 20, messages: [{ role: 'user' as const, content: 'Hello there, how are you today?' }] };
  try {
    if (stream) {
      const chunks = await client.chat.completions.create({ ...body, stream: true, stream_options: { include_usage: true } });
      for await (const chunk of chunks) void chunk;
    } else {
      await client.chat.completions.create(body);
    }
    return { ok: true };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return { ok: false, status: error.status, code: error.code, headers: error.headers };
  }
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 400; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('budget exactness across two gateways', () => {
  it('never settles past the cap, refuses with 429 budget_exceeded and settles every accepted request', async () => {
    // A reservation is about 31 tokens ($0.0031); the cap allows about 50 of them at once.
    const cap = 0.155;
    await local.stores.control.putIfAbsent({ kind: 'budget', id: 'exact', data: { unit: 'usd', limit: cap, period: 'none' } });
    const { secret, record } = await access.createApiKey({ workspaceId: WORKSPACE, name: 'budgeted', budgetId: 'exact' });
    const clients = gateways.map((gateway) => clientFor(gateway, secret));
    const before = gateways.map((gateway) => gateway.records.length);
    const outcomes = await Promise.all(Array.from({ length: REQUESTS }, (_, index) => call(clients[index % 2] as OpenAI, index % 4 < 2)));

    const accepted = outcomes.filter((outcome) => outcome.ok).length;
    const refused = outcomes.filter((outcome): outcome is Extract<Outcome, { ok: false }> => !outcome.ok);
    expect(accepted).toBeGreaterThanOrEqual(40);
    expect(refused.length).toBeGreaterThan(0);
    for (const refusal of refused) expect([refusal.status, refusal.code]).toEqual([429, 'budget_exceeded']);

    const counterKey = budgetCounterKey('exact', 0);
    const records = () => gateways.flatMap((gateway, index) => gateway.records.slice(before[index]).filter((entry) => entry.apiKeyId === record.id));
    await eventually(async () => records().length === REQUESTS, 'every request record');
    const okRecords = records().filter((entry) => entry.status === 200);
    expect(okRecords).toHaveLength(accepted);
    const logged = okRecords.reduce((sum, entry) => sum + (entry.cost ?? 0), 0);
    expect(logged).toBeGreaterThan(0);
    await eventually(async () => Math.abs((await local.stores.counters.get(counterKey)) - logged) < 1e-8, 'the counter to equal the logged costs');
    expect(await local.stores.counters.get(counterKey)).toBeLessThanOrEqual(cap);
  }, 60_000);
});

describe('requests-per-minute exactness across two gateways', () => {
  it('lets exactly the limit through in one window and refuses the rest with OpenAI headers', async () => {
    // A burst that straddles a minute boundary would rightly get two windows' worth.
    const intoWindow = Date.now() % 60_000;
    if (intoWindow > 50_000) await new Promise((resolve) => setTimeout(resolve, 60_500 - intoWindow));
    await local.stores.control.putIfAbsent({ kind: 'rate-limit', id: 'rpm-30', data: { requestsPerMinute: 30 } });
    const { secret } = await access.createApiKey({ workspaceId: WORKSPACE, name: 'limited', rateLimitId: 'rpm-30' });
    const clients = gateways.map((gateway) => clientFor(gateway, secret));
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, index) => call(clients[index % 2] as OpenAI, index % 3 === 0)));
    expect(outcomes.filter((outcome) => outcome.ok)).toHaveLength(30);
    const refused = outcomes.filter((outcome): outcome is Extract<Outcome, { ok: false }> => !outcome.ok);
    expect(refused).toHaveLength(70);
    for (const refusal of refused) {
      expect([refusal.status, refusal.code]).toEqual([429, 'rate_limit_exceeded']);
      expect(refusal.headers?.get('x-ratelimit-limit-requests')).toBe('30');
      expect(refusal.headers?.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(Number(refusal.headers?.get('retry-after'))).toBeGreaterThan(0);
      expect(refusal.headers?.get('x-ratelimit-reset-requests')).toMatch(/^\d+s$/);
    }
  }, 90_000);
});

describe('settlement while the store is unavailable', () => {
  it('retries a failed settlement until the store recovers and loses no spend', async () => {
    const real = local.stores.counters;
    let failSettlements = 4;
    // Budget settlements are the slot settlements; reservations keep working.
    const flaky: CounterStore = {
      ...real,
      settleHold: (key, settlement) => {
        if (failSettlements > 0) {
          failSettlements--;
          return Promise.reject(new Error('store unavailable'));
        }
        return real.settleHold(key, settlement);
      },
    };
    const gateway = await startTestGateway({ TURNPIKE_REQUIRE_GATEWAY_KEY: 'true' }, { stores: { ...local.stores, counters: flaky }, keyVault: local.keyVault });
    try {
      await local.stores.control.putIfAbsent({ kind: 'budget', id: 'flaky', data: { unit: 'tokens', limit: 100_000, period: 'daily' } });
      const { secret } = await access.createApiKey({ workspaceId: WORKSPACE, name: 'flaky', budgetId: 'flaky' });
      const client = clientFor(gateway, secret);
      const outcomes = await Promise.all([0, 1, 2].map((index) => call(client, index === 0)));
      expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
      const records = await gateway.waitForRecords(3);
      const tokens = records.reduce((sum, entry) => sum + (entry.usage?.totalTokens ?? 0), 0);
      expect(tokens).toBeGreaterThan(0);
      const { start } = budgetPeriodBounds('daily', Date.now());
      await eventually(async () => (await real.get(budgetCounterKey('flaky', start))) === tokens, 'the settled tokens');
      expect(failSettlements).toBe(0);
    } finally {
      await gateway.close();
    }
  }, 30_000);
});
