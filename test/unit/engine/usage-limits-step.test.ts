import { describe, expect, it } from 'vitest';
import { budgetCounterKey } from '../../../shared/src/budgets/budget-period.ts';
import type { GatewayRuntime } from '../../../shared/src/engine/gateway-runtime.ts';
import type { PreparedRequest } from '../../../shared/src/engine/prepare-request.ts';
import { UsageLimitsStep } from '../../../shared/src/engine/usage-limits-step.ts';
import type { CallerIdentity } from '../../../shared/src/keys/access-records.ts';
import type { ControlItem, ControlStore } from '../../../shared/src/ports/control-store.ts';
import { parsePriceTable } from '../../../shared/src/pricing/price-table.ts';
import { parsePortkeyRequestHeaders } from '../../../shared/src/protocol/portkey-request-headers.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { MemoryCounterStore } from '../../support/memory-counter-store.ts';

// $1 per thousand tokens, in and out, so worst cases are easy to read.
const prices = parsePriceTable({ date: '2026-01-01', providers: { cheap: { small: { input: 1000, output: 1000 } } } });

function setup(budgets: Record<string, { unit: 'usd' | 'tokens'; limit: number }>) {
  const clock = FakeClock.instant();
  const counters = new MemoryCounterStore(clock);
  const control = {
    get: (kind: string, id: string): Promise<ControlItem | undefined> => {
      const budget = kind === 'budget' ? budgets[id] : undefined;
      return Promise.resolve(budget === undefined ? undefined : { kind, id, data: { ...budget, period: 'none' }, version: 1, createdAt: 0, updatedAt: 0 });
    },
  } as ControlStore;
  // The step reads only these parts of a runtime.
  const runtime = { settings: { defaultProvider: 'cheap', authCacheTtlMs: 5_000 }, clock, stores: { control, counters } } as unknown as GatewayRuntime;
  const step = new UsageLimitsStep(runtime, { priceOverride: prices, budgetAlerts: { emit: () => Promise.resolve() } });
  const counter = async (id: string) => (await counters.getStates([budgetCounterKey(id, 0)])).get(budgetCounterKey(id, 0));
  return { step, counters, counter };
}

function identity(budgetId?: string): CallerIdentity {
  return { kind: 'api-key', id: 'key_1', workspaceId: undefined, scopes: {}, metadata: {}, defaultConfig: undefined, rateLimitId: undefined, budgetId };
}

function request(caller: CallerIdentity): PreparedRequest {
  return {
    endpoint: 'chat.completions',
    method: 'POST',
    path: '/chat/completions',
    pathname: '/v1/chat/completions',
    search: '',
    headers: new Headers(),
    portkey: parsePortkeyRequestHeaders(new Headers()),
    // 40 characters of messages (10 tokens estimated) and 90 output tokens: a worst case of 100 tokens, $0.1.
    json: { model: 'small', max_tokens: 90, messages: [{ role: 'user', content: 'x'.repeat(10) }] },
    rawBody: undefined,
    contentType: 'application/json',
    stream: false,
    access: { identity: caller, principalArn: undefined, virtualKeyId: undefined },
  };
}

describe("UsageLimitsStep and a virtual key's budget", () => {
  it('reserves the worst case priced for the leaf\'s own provider and model', async () => {
    const { step, counter } = setup({ vk: { unit: 'usd', limit: 1 } });
    const prepared = request(identity());
    expect(JSON.stringify(prepared.json?.messages)).toHaveLength(40);
    const held = await step.reserveVirtualKeyBudget(prepared, 'vk', 'cheap', 'small');
    expect(held).toBeDefined();
    expect((await counter('vk'))?.value).toBeCloseTo(0.1, 12);
    // A model without a price reserves nothing in USD, as for the caller's own budgets.
    await step.reserveVirtualKeyBudget(request(identity()), 'vk', 'cheap', 'unpriced');
    expect((await counter('vk'))?.value).toBeCloseTo(0.1, 12);
  });

  it('refuses with 429 budget_exceeded naming the budget, holding nothing', async () => {
    const { step, counter } = setup({ vk: { unit: 'tokens', limit: 150 } });
    await step.reserveVirtualKeyBudget(request(identity()), 'vk', 'cheap', 'small');
    await expect(step.reserveVirtualKeyBudget(request(identity()), 'vk', 'cheap', 'small')).rejects.toMatchObject({
      status: 429,
      code: 'budget_exceeded',
      param: 'vk',
    });
    expect((await counter('vk'))?.value).toBe(100);
  });

  it('settles a kept reservation with the request\'s actual cost, with the caller\'s own', async () => {
    const { step, counter } = setup({ vk: { unit: 'usd', limit: 1 }, own: { unit: 'tokens', limit: 1000 } });
    const prepared = request(identity('own'));
    await step.admit(prepared);
    const held = await step.reserveVirtualKeyBudget(prepared, 'vk', 'cheap', 'small');
    held?.keep();
    // 20 tokens at $1 per thousand.
    const cost = await step.settle(prepared, { provider: 'cheap', model: 'small', usage: { promptTokens: 12, completionTokens: 8, totalTokens: 20 } }, false);
    expect(cost.cost).toBeCloseTo(0.02, 12);
    await step.flush();
    expect(await counter('vk')).toMatchObject({ holds: [{ amount: 0 }] });
    expect((await counter('vk'))?.value).toBeCloseTo(0.02, 12);
    expect((await counter('own'))?.value).toBe(20);
  });

  it('gives a reservation back at once when the leaf failed, and settles nothing for it later', async () => {
    const { step, counter } = setup({ vk: { unit: 'tokens', limit: 1000 } });
    const prepared = request(identity());
    const held = await step.reserveVirtualKeyBudget(prepared, 'vk', 'cheap', 'small');
    await held?.giveBack();
    expect(await counter('vk')).toMatchObject({ value: 0, holds: [{ amount: 0 }] });
    await step.settle(prepared, { provider: 'cheap', model: 'small', usage: { promptTokens: 12, completionTokens: 8, totalTokens: 20 } }, false);
    await step.flush();
    expect((await counter('vk'))?.value).toBe(0);
  });

  it('charges the caller for answers routing moved past, and a kept virtual-key budget for its own answer only', async () => {
    const { step, counter } = setup({ vk: { unit: 'usd', limit: 1 }, own: { unit: 'tokens', limit: 1000 } });
    const prepared = request(identity('own'));
    await step.admit(prepared);
    const held = await step.reserveVirtualKeyBudget(prepared, 'vk', 'cheap', 'small');
    held?.keep();
    const answer = { provider: 'cheap', model: 'small', usage: { promptTokens: 12, completionTokens: 8, totalTokens: 20 } };
    // An earlier target's answer a guardrail refused: 30 tokens more, $0.03 more.
    const refused = { provider: 'cheap', model: 'small', usage: { promptTokens: 20, completionTokens: 10, totalTokens: 30 } };
    const cost = await step.settle(prepared, answer, false, [refused]);
    expect(cost.cost).toBeCloseTo(0.05, 12);
    await step.flush();
    expect((await counter('own'))?.value).toBe(50);
    expect((await counter('vk'))?.value).toBeCloseTo(0.02, 12);
  });

  it('charges a failed leaf\'s virtual-key budget for an answer that was turned down', async () => {
    const { step, counter } = setup({ vk: { unit: 'tokens', limit: 1000 } });
    const prepared = request(identity());
    const held = await step.reserveVirtualKeyBudget(prepared, 'vk', 'cheap', 'small');
    await held?.giveBack({ promptTokens: 12, completionTokens: 8, totalTokens: 20 });
    expect(await counter('vk')).toMatchObject({ value: 20, holds: [{ amount: 0 }] });
  });

  it('holds nothing more when the caller already holds the same budget, or the budget does not exist', async () => {
    const { step, counters } = setup({ shared: { unit: 'tokens', limit: 1000 } });
    const prepared = request(identity('shared'));
    await step.admit(prepared);
    const adds = counters.adds;
    expect(await step.reserveVirtualKeyBudget(prepared, 'shared', 'cheap', 'small')).toBeUndefined();
    expect(await step.reserveVirtualKeyBudget(prepared, 'missing', 'cheap', 'small')).toBeUndefined();
    expect(counters.adds).toBe(adds);
  });
});
