import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import { budgetCounterKey } from '../../shared/src/budgets/budget-period.ts';
import { type AccessRepository, createAccessRepository } from '../../shared/src/keys/access-repository.ts';
import type { CounterState } from '../../shared/src/ports/counter-store.ts';
import { type LocalStores, openLocalStores } from '../../shared/src/runtime/local-stores.ts';
import { type MockUpstream, reply, startMockUpstream } from '../support/mock-upstream.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

/**
 * Budgets on virtual keys, on the real local server (dynalite, in-memory vault) through the
 * openai SDK: the virtual key's budget is reserved per target, just before its upstream call.
 */

const WORKSPACE = 'ws-virtual-budgets';
let local: LocalStores;
let gateway: TestGateway;
let upstream: MockUpstream;
let access: AccessRepository;
let pricesDir: string;

beforeAll(async () => {
  pricesDir = mkdtempSync(join(tmpdir(), 'turnpike-prices-'));
  const pricesFile = join(pricesDir, 'prices.json');
  // 100 USD per million tokens: each mock token costs $0.0001.
  writeFileSync(pricesFile, JSON.stringify({ date: '2026-01-01', providers: { mock: { 'mock-model': { input: 100, output: 100 } }, openai: { 'mock-model': { input: 100, output: 100 } } } }));
  local = await openLocalStores({ TURNPIKE_DATA_DIR: ':memory:' }, systemClock);
  [gateway, upstream] = await Promise.all([
    startTestGateway({ TURNPIKE_REQUIRE_GATEWAY_KEY: 'true', TURNPIKE_PRICES_FILE: pricesFile }, { stores: local.stores, keyVault: local.keyVault }),
    startMockUpstream(),
  ]);
  access = createAccessRepository(local.stores.control, local.keyVault, systemClock, { counters: local.stores.counters });
  upstream.handle(reply(500, JSON.stringify({ error: { message: 'upstream broke', type: 'server_error' } }), { 'content-type': 'application/json' }));
});

afterAll(async () => {
  await Promise.all([gateway?.close(), upstream?.close()]);
  await local?.close();
  rmSync(pricesDir, { recursive: true, force: true });
});

async function setBudget(id: string, limit: number): Promise<void> {
  await local.stores.control.putIfAbsent({ kind: 'budget', id, data: { unit: 'usd', limit, period: 'none' } });
}

async function client(headers: Record<string, string> = {}): Promise<OpenAI> {
  const { secret } = await access.createApiKey({ workspaceId: WORKSPACE, name: 'caller' });
  return new OpenAI({ apiKey: secret, baseURL: gateway.baseURL, maxRetries: 0, defaultHeaders: headers });
}

const body = { model: 'mock-model', max_tokens: 20, messages: [{ role: 'user' as const, content: 'Hello there, how are you today?' }] };

async function counter(budgetId: string): Promise<CounterState> {
  const key = budgetCounterKey(budgetId, 0);
  return (await local.stores.counters.getStates([key])).get(key) ?? { value: 0, holds: [] };
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 400; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const settled = async (budgetId: string): Promise<boolean> => (await counter(budgetId)).holds.every((hold) => hold.amount === 0);

describe('a virtual key with a budget', () => {
  it('serves requests until the cap, then answers 429 budget_exceeded naming the budget; the spend settles to the sum of the costs', async () => {
    // A reservation is about 31 tokens ($0.0031), a mock answer costs less: a few fit, not ten.
    await setBudget('vk-small', 0.012);
    await access.createVirtualKey({ id: 'mock-capped', workspaceId: WORKSPACE, name: 'Capped', provider: 'mock', secret: 'sk-mock-capped', budgetId: 'vk-small' });
    const openai = await client({ 'x-portkey-virtual-key': 'mock-capped' });
    const before = gateway.records.length;
    let served = 0;
    let refusal: InstanceType<typeof OpenAI.APIError> | undefined;
    for (let request = 0; request < 10 && refusal === undefined; request++) {
      try {
        await openai.chat.completions.create(body);
        served++;
        await eventually(() => settled('vk-small'), 'the settlement');
      } catch (error) {
        if (!(error instanceof OpenAI.APIError)) throw error;
        refusal = error;
      }
    }
    expect(served).toBeGreaterThanOrEqual(2);
    expect(refusal?.status).toBe(429);
    expect(refusal?.code).toBe('budget_exceeded');
    expect(refusal?.param).toBe('vk-small');
    expect(refusal?.headers?.get('x-turnpike-budget-id')).toBe('vk-small');

    const records = await gateway.waitForRecords(before + served + 1);
    const costs = records.slice(before).filter((entry) => entry.status === 200).map((entry) => entry.cost ?? 0);
    expect(costs).toHaveLength(served);
    expect(costs.every((cost) => cost > 0)).toBe(true);
    const state = await counter('vk-small');
    expect(state.value).toBeCloseTo(costs.reduce((sum, cost) => sum + cost, 0), 12);
    expect(state.value).toBeLessThanOrEqual(0.012);
    expect(state.holds.every((hold) => hold.amount === 0)).toBe(true);
  });

  it('makes a fallback config move on to its next target when the first target\'s virtual key is over budget', async () => {
    await setBudget('vk-spent', 0.000001);
    await access.createVirtualKey({ id: 'mock-spent', workspaceId: WORKSPACE, name: 'Spent', provider: 'mock', secret: 'sk-mock-spent', budgetId: 'vk-spent' });
    await access.createVirtualKey({ id: 'mock-free', workspaceId: WORKSPACE, name: 'Free', provider: 'mock', secret: 'sk-mock-free' });
    const config = { strategy: { mode: 'fallback' }, targets: [{ virtual_key: 'mock-spent' }, { virtual_key: 'mock-free' }] };
    const openai = await client({ 'x-portkey-config': JSON.stringify(config) });
    const { response } = await openai.chat.completions.create(body).withResponse();
    expect(response.status).toBe(200);
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    const record = (await gateway.waitForRecords(gateway.records.length)).at(-1);
    expect(record).toMatchObject({ status: 200, virtualKeyId: 'mock-free' });
    // A refused reservation holds nothing.
    expect(await counter('vk-spent')).toEqual({ value: 0, holds: [] });
  });

  it('gives a failed target\'s reservation back before the fallback answers, and settles the one that answered', async () => {
    await setBudget('vk-broken', 1);
    await setBudget('vk-working', 1);
    await access.createVirtualKey({
      id: 'openai-broken',
      workspaceId: WORKSPACE,
      name: 'Broken upstream',
      provider: 'openai',
      secret: 'sk-openai-broken',
      options: { custom_host: `${upstream.origin}/v1` },
      budgetId: 'vk-broken',
    });
    await access.createVirtualKey({ id: 'mock-working', workspaceId: WORKSPACE, name: 'Working', provider: 'mock', secret: 'sk-mock-working', budgetId: 'vk-working' });
    const config = { strategy: { mode: 'fallback' }, targets: [{ virtual_key: 'openai-broken' }, { virtual_key: 'mock-working' }] };
    const openai = await client({ 'x-portkey-config': JSON.stringify(config) });
    const before = gateway.records.length;
    const { response } = await openai.chat.completions.create(body).withResponse();
    expect(response.status).toBe(200);
    expect(upstream.requests.length).toBeGreaterThanOrEqual(1);
    const broken = await counter('vk-broken');
    expect(broken.value).toBe(0);
    expect(broken.holds.map((hold) => hold.amount)).toEqual([0]);

    const [record] = (await gateway.waitForRecords(before + 1)).slice(before);
    expect(record?.cost).toBeGreaterThan(0);
    await eventually(() => settled('vk-working'), 'the settlement');
    expect((await counter('vk-working')).value).toBeCloseTo(record?.cost ?? 0, 12);
  });
});
