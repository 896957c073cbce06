import { describe, expect, it } from 'vitest';
import type { GatewayStores } from '../../../shared/src/engine/gateway-runtime.ts';
import type { KeyVault } from '../../../shared/src/ports/key-vault.ts';
import type { FetchFunction } from '../../../shared/src/providers/provider-model.ts';
import { composeRuntime } from '../../../shared/src/runtime/compose-runtime.ts';
import { planBudgetCharges } from '../../../shared/src/budgets/plan-budget-charges.ts';
import { reserveCharges } from '../../../shared/src/budgets/reserve-charges.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { MemoryCounterStore } from '../../support/memory-counter-store.ts';
import { mockRequest } from '../providers/mock/mock-provider-harness.ts';

const NATIVE_PROVIDERS = ['mock', 'google', 'bedrock', 'cohere', 'anthropic'];

/** A fetch that never reaches the network: every provider call that would go out fails here. */
const offlineFetch: FetchFunction = () => Promise.reject(new TypeError('offline in this test'));

function runtime(stores = {} as GatewayStores) {
  return composeRuntime({
    settings: {
      mode: 'local',
      maxBodyBytes: 1024,
      defaultProvider: undefined,
      allowBringYourOwnKey: true,
      retry: { baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      version: 'test',
    },
    allowedHosts: [],
    fetch: offlineFetch,
    clock: new FakeClock(),
    random: () => 0,
    hostResolver: { resolve: async () => [] },
    savedConfigs: { get: async () => undefined },
    requestLog: { write: () => undefined },
    // composeRuntime only hands these on; no provider call below reaches them.
    stores,
    keyVault: {} as KeyVault,
    usageLimits: { settleCoalesceMs: 60_000, budgetAlerts: { emit: () => Promise.resolve() } },
  });
}

describe('composeRuntime', () => {
  it('registers the OpenAI-compatible family and every native provider', () => {
    const ids = [...runtime().providers.keys()];
    expect(ids).toEqual(expect.arrayContaining(['openai', 'azure-openai', ...NATIVE_PROVIDERS]));
  });

  it.each(NATIVE_PROVIDERS)('loads %s on its first call, with the id and key requirement it was registered under', async (id) => {
    const provider = runtime().providers.get(id);
    if (provider === undefined) throw new Error(`${id} is not registered`);
    // models.list fails before the network for Bedrock and at the offline fetch for the
    // others (the mock answers in-process); any outcome but the lazy loader's wiring error is fine.
    const outcome = await provider
      .call(mockRequest({ endpoint: 'models.list', method: 'GET', path: '/models', target: { provider: id, apiKey: 'key', forwardHeaders: [], options: {} } }))
      .then(
        () => 'answered',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );
    expect(outcome).not.toMatch(/loaded as/);
  });

  it('writes the settlements still waiting to share a write when it closes', async () => {
    const counters = new MemoryCounterStore(new FakeClock());
    const composed = runtime({ counters } as unknown as GatewayStores);
    const charges = planBudgetCharges([{ id: 'b', unit: 'usd', limit: 1, period: 'none' }], { tokens: 10, usd: 0.5 }, 0);
    await reserveCharges(counters, charges);
    void composed.settlements?.settle(charges, { tokens: 10, usd: 0.125 });
    expect(counters.settlements).toBe(0);
    await composed.close();
    expect(counters.settlements).toBe(1);
    expect(await counters.get(charges[0]?.key ?? '')).toBe(0.125);
  });
});
