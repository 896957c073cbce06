import { describe, expect, it } from 'vitest';
import type { GatewayStores } from '../../../shared/src/engine/gateway-runtime.ts';
import type { KeyVault } from '../../../shared/src/ports/key-vault.ts';
import type { FetchFunction } from '../../../shared/src/providers/provider-model.ts';
import { composeRuntime } from '../../../shared/src/runtime/compose-runtime.ts';
import { FakeClock } from '../../support/fake-clock.ts';
import { mockRequest } from '../providers/mock/mock-provider-harness.ts';

const NATIVE_PROVIDERS = ['mock', 'google', 'bedrock', 'cohere', 'anthropic'];

/** A fetch that never reaches the network: every provider call that would go out fails here. */
const offlineFetch: FetchFunction = () => Promise.reject(new TypeError('offline in this test'));

function runtime() {
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
    stores: {} as GatewayStores,
    keyVault: {} as KeyVault,
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
});
