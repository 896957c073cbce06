import { describe, expect, it } from 'vitest';
import { type CacheRequest, type ResponseCacheDependencies, createResponseCache } from '../../../shared/src/cache/response-cache.ts';
import { createNgramEmbedder } from '../../../shared/src/adapters/local/ngram-embedder.ts';
import type { CacheStore, CachedValue } from '../../../shared/src/ports/cache-store.ts';
import type { Embedder } from '../../../shared/src/ports/embedder.ts';
import type { SemanticCacheIndex, SemanticIndexEntry } from '../../../shared/src/ports/semantic-cache-index.ts';
import { FakeClock } from '../../support/fake-clock.ts';

function memoryStore(clock: FakeClock, maxValueBytes = 400_000): CacheStore & { values: Map<string, CachedValue> } {
  const values = new Map<string, CachedValue>();
  return {
    values,
    maxValueBytes,
    async get(key) {
      const value = values.get(key);
      return value !== undefined && value.expiresAt > Math.floor(clock.now() / 1000) ? value : undefined;
    },
    async put(key, value, { expiresAt }) {
      if (value.byteLength > maxValueBytes) throw new RangeError('too big');
      values.set(key, { value, createdAt: clock.now(), expiresAt });
    },
    async delete(key) {
      values.delete(key);
    },
  };
}

function memoryIndex(): SemanticCacheIndex & { reads: number } {
  const buckets = new Map<string, Map<string, SemanticIndexEntry>>();
  const index = {
    reads: 0,
    async add(bucket: Parameters<SemanticCacheIndex['add']>[0], entry: SemanticIndexEntry) {
      const id = JSON.stringify(bucket);
      const entries = buckets.get(id) ?? new Map<string, SemanticIndexEntry>();
      entries.set(entry.cacheKey, entry);
      buckets.set(id, entries);
    },
    async entries(bucket: Parameters<SemanticCacheIndex['add']>[0], limit = 50) {
      index.reads++;
      return [...(buckets.get(JSON.stringify(bucket))?.values() ?? [])].slice(0, limit);
    },
  };
  return index;
}

function countingEmbedder(inner: Embedder = createNgramEmbedder()): Embedder & { calls: number } {
  const embedder = {
    id: inner.id,
    calls: 0,
    embed(texts: readonly string[]) {
      embedder.calls++;
      return inner.embed(texts);
    },
  };
  return embedder;
}

const POEM = 'Please write a short poem about the autumn leaves falling in the quiet park.';

function chatRequest(content: string, overrides: Partial<CacheRequest> = {}): CacheRequest {
  return {
    workspaceId: 'ws',
    endpoint: 'chat.completions',
    provider: 'openai',
    customHost: undefined,
    options: {},
    body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] },
    config: { mode: 'semantic' },
    forceRefresh: false,
    ...overrides,
  };
}

function setup(overrides: Partial<ResponseCacheDependencies> = {}) {
  const clock = new FakeClock();
  const store = memoryStore(clock);
  const semanticIndex = memoryIndex();
  const embedder = countingEmbedder();
  const responseCache = createResponseCache({ store, semanticIndex, clock, ...overrides });
  // The tests plan every request with the counting embedder.
  const cache = { ...responseCache, plan: (request: Parameters<typeof responseCache.plan>[0]) => responseCache.plan(request, embedder) };
  return { clock, store, semanticIndex, embedder, cache };
}

const ANSWER = '{"id":"a","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Leaves"},"finish_reason":"stop"}]}';

describe('response cache', () => {
  it('answers an exact repeat without calling the embedder', async () => {
    const { cache, embedder } = setup();
    const plan = cache.plan(chatRequest(POEM));
    if (plan === undefined) throw new Error('no plan');
    const miss = await cache.lookup(plan);
    expect(miss.hit).toBeUndefined();
    expect(embedder.calls).toBe(1);
    expect(await cache.store(plan, ANSWER, miss.embedding)).toBe('stored');
    expect(embedder.calls).toBe(1);
    expect((await cache.lookup(plan)).hit).toEqual({ status: 'HIT', answer: ANSWER });
    expect(embedder.calls).toBe(1);
  });

  it('finds a near-duplicate prompt by similarity within a bounded number of index reads', async () => {
    const { cache, semanticIndex } = setup();
    const first = cache.plan(chatRequest(POEM));
    if (first === undefined) throw new Error('no plan');
    await cache.store(first, ANSWER, undefined);
    const near = cache.plan(chatRequest(POEM.replace('autumn', 'autum')));
    const other = cache.plan(chatRequest('Please write a short poem about the spring flowers blooming in the busy city.'));
    if (near === undefined || other === undefined) throw new Error('no plan');
    semanticIndex.reads = 0;
    expect((await cache.lookup(near)).hit?.status).toBe('SEMANTIC HIT');
    expect(semanticIndex.reads).toBe(6);
    expect((await cache.lookup(other)).hit).toBeUndefined();
  });

  it('never shares entries across workspaces, models or parameters', async () => {
    const { cache } = setup();
    const plan = cache.plan(chatRequest(POEM));
    if (plan === undefined) throw new Error('no plan');
    await cache.store(plan, ANSWER, undefined);
    for (const request of [
      chatRequest(POEM, { workspaceId: 'other' }),
      chatRequest(POEM, { body: { model: 'gpt-4o', messages: [{ role: 'user', content: POEM }] } }),
      chatRequest(POEM, { body: { model: 'gpt-4o-mini', temperature: 1, messages: [{ role: 'user', content: POEM }] } }),
    ]) {
      const other = cache.plan(request);
      if (other === undefined) throw new Error('no plan');
      expect((await cache.lookup(other)).hit).toBeUndefined();
    }
  });

  it('honours the request max_age even when the stored entry would live longer', async () => {
    const { cache, clock } = setup();
    const long = cache.plan(chatRequest(POEM, { config: { mode: 'simple', max_age: 3600 } }));
    const short = cache.plan(chatRequest(POEM, { config: { mode: 'simple', max_age: 60 } }));
    if (long === undefined || short === undefined) throw new Error('no plan');
    await cache.store(long, ANSWER, undefined);
    clock.current += 61_000;
    expect((await cache.lookup(short)).hit).toBeUndefined();
    expect((await cache.lookup(long)).hit?.status).toBe('HIT');
  });

  it('writes the expiry as whole seconds at least max_age ahead', async () => {
    const { cache, clock, store } = setup();
    clock.current = 1_700_000_000_500;
    const plan = cache.plan(chatRequest(POEM, { config: { mode: 'simple', max_age: 1 } }));
    if (plan === undefined) throw new Error('no plan');
    await cache.store(plan, ANSWER, undefined);
    expect(store.values.get(plan.key)?.expiresAt).toBe(1_700_000_002);
  });

  it('counts answers too large for one item and does not store them', async () => {
    const clock = new FakeClock();
    const store = memoryStore(clock, 2_000);
    const cache = createResponseCache({ store, semanticIndex: memoryIndex(), clock });
    const plan = cache.plan(chatRequest(POEM, { config: { mode: 'simple' } }), undefined);
    if (plan === undefined) throw new Error('no plan');
    const incompressible = JSON.stringify({ choices: [{ message: { content: Array.from({ length: 4000 }, (_, i) => ((i * 7919) % 65_521).toString(36)).join('') } }] });
    expect(await cache.store(plan, incompressible, undefined)).toBe('too_large');
    expect(store.values.size).toBe(0);
  });

  it('turns store and embedder failures into misses and failed writes', async () => {
    const clock = new FakeClock();
    const failing: CacheStore = {
      maxValueBytes: 1000,
      get: () => Promise.reject(new Error('down')),
      put: () => Promise.reject(new Error('down')),
      delete: () => Promise.reject(new Error('down')),
    };
    const errors: unknown[] = [];
    const embedder: Embedder = { id: 'broken', embed: () => Promise.reject(new Error('no model')) };
    const cache = createResponseCache({ store: failing, semanticIndex: memoryIndex(), clock, onError: (error) => errors.push(error) });
    const plan = cache.plan(chatRequest(POEM), embedder);
    if (plan === undefined) throw new Error('no plan');
    expect(await cache.lookup(plan)).toEqual({ hit: undefined, embedding: undefined });
    expect(await cache.store(plan, ANSWER, undefined)).toBe('failed');
    expect(errors).toHaveLength(3);
  });

  it('plans only chat, completions and embeddings, and uses simple mode without an embedder', () => {
    const { cache } = setup();
    expect(cache.plan({ ...chatRequest(POEM), endpoint: 'messages' })).toBeUndefined();
    expect(cache.plan({ ...chatRequest(POEM), endpoint: 'embeddings', body: { model: 'e', input: 'x' } })?.semantic).toBeUndefined();
    const bare = createResponseCache({ store: memoryStore(new FakeClock()), semanticIndex: memoryIndex(), clock: new FakeClock() });
    expect(bare.plan(chatRequest(POEM), undefined)?.semantic).toBeUndefined();
  });
});
