import { describe, expect, it } from 'vitest';
import { createProviderEmbedder } from '../../../shared/src/engine/provider-embedder.ts';
import { createMockProvider } from '../../../shared/src/providers/mock/mock-provider.ts';
import type { ProviderModel } from '../../../shared/src/providers/provider-model.ts';
import { FakeClock } from '../../support/fake-clock.ts';

describe('provider embedder', () => {
  const mock = createMockProvider({ clock: new FakeClock() });
  const providers = new Map<string, ProviderModel>([[mock.id, mock]]);

  it('embeds through a gateway provider, one vector per text, in order', async () => {
    const embedder = createProviderEmbedder({ providers, provider: 'mock', model: 'mock-embed' });
    const vectors = await embedder.embed(['first', 'second', 'first']);
    expect(vectors).toHaveLength(3);
    expect(vectors[0]).toEqual(vectors[2]);
    expect(vectors[0]).not.toEqual(vectors[1]);
    expect(embedder.id).toBe('provider:mock:mock-embed');
  });

  it('fails clearly for a provider the gateway does not know', async () => {
    await expect(createProviderEmbedder({ providers, provider: 'nope', model: 'x' }).embed(['a'])).rejects.toThrow(/unknown provider "nope"/);
  });
});
