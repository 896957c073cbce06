import { describe, expect, it } from 'vitest';
import { createMemoryFrontedCacheStore } from '../../../shared/src/cache/memory-fronted-cache-store.ts';
import type { CachedValue, CacheStore } from '../../../shared/src/ports/cache-store.ts';
import { FakeClock } from '../../support/fake-clock.ts';

/** A store in memory that counts its reads and can be changed behind the front's back. */
function countingStore(clock: FakeClock) {
  const items = new Map<string, CachedValue>();
  let reads = 0;
  let failPuts = false;
  const store: CacheStore = {
    maxValueBytes: 1000,
    get(key) {
      reads++;
      const item = items.get(key);
      return Promise.resolve(item !== undefined && item.expiresAt * 1000 > clock.now() ? item : undefined);
    },
    put(key, value, options) {
      if (failPuts) return Promise.reject(new Error('store unavailable'));
      items.set(key, { value, createdAt: clock.now(), expiresAt: options.expiresAt });
      return Promise.resolve();
    },
    delete(key) {
      items.delete(key);
      return Promise.resolve();
    },
  };
  return { store, items, reads: () => reads, failPuts: (fail: boolean) => (failPuts = fail) };
}

const bytes = (text: string) => new TextEncoder().encode(text);

describe('memory-fronted cache store', () => {
  it('serves a value it has seen from memory until its memory age passes, then reads the store again', async () => {
    const clock = new FakeClock();
    const backing = countingStore(clock);
    const cache = createMemoryFrontedCacheStore(backing.store, { maxBytes: 100, maxAgeMs: 1000, now: () => clock.now() });
    await cache.put('a', bytes('answer'), { expiresAt: clock.now() / 1000 + 60 });
    expect(new TextDecoder().decode((await cache.get('a'))?.value)).toBe('answer');
    expect(backing.reads()).toBe(0);
    // Another process refreshed the answer: seen once the memory age has passed.
    backing.items.set('a', { value: bytes('refreshed'), createdAt: clock.now(), expiresAt: clock.now() / 1000 + 60 });
    expect(new TextDecoder().decode((await cache.get('a'))?.value)).toBe('answer');
    clock.current += 1000;
    expect(new TextDecoder().decode((await cache.get('a'))?.value)).toBe('refreshed');
    expect(backing.reads()).toBe(1);
    expect(cache.maxValueBytes).toBe(1000);
  });

  it('never serves an answer past its own expiry', async () => {
    const clock = new FakeClock();
    const backing = countingStore(clock);
    const cache = createMemoryFrontedCacheStore(backing.store, { maxBytes: 100, maxAgeMs: 60_000, now: () => clock.now() });
    await cache.put('a', bytes('answer'), { expiresAt: Math.floor(clock.now() / 1000) + 2 });
    clock.current += 2000;
    expect(await cache.get('a')).toBeUndefined();
  });

  it('keeps at most maxBytes, dropping the least recently used first, and never holds a value bigger than that', async () => {
    const clock = new FakeClock();
    const backing = countingStore(clock);
    const cache = createMemoryFrontedCacheStore(backing.store, { maxBytes: 10, maxAgeMs: 60_000, now: () => clock.now() });
    const expiresAt = clock.now() / 1000 + 60;
    await cache.put('a', bytes('aaaa'), { expiresAt });
    await cache.put('b', bytes('bbbb'), { expiresAt });
    await cache.get('a');
    await cache.put('c', bytes('cccc'), { expiresAt });
    const before = backing.reads();
    await cache.get('a');
    await cache.get('c');
    expect(backing.reads()).toBe(before);
    await cache.get('b');
    expect(backing.reads()).toBe(before + 1);
    await cache.put('big', bytes('x'.repeat(11)), { expiresAt });
    await cache.get('big');
    expect(backing.reads()).toBe(before + 2);
  });

  it('drops its copy when a write fails or the value is deleted, so it never outlives the store', async () => {
    const clock = new FakeClock();
    const backing = countingStore(clock);
    const cache = createMemoryFrontedCacheStore(backing.store, { maxBytes: 100, maxAgeMs: 60_000, now: () => clock.now() });
    const expiresAt = clock.now() / 1000 + 60;
    await cache.put('a', bytes('old'), { expiresAt });
    backing.failPuts(true);
    await expect(cache.put('a', bytes('new'), { expiresAt })).rejects.toThrow('store unavailable');
    expect(new TextDecoder().decode((await cache.get('a'))?.value)).toBe('old');
    expect(backing.reads()).toBe(1);
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
  });
});
