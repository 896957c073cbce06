import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CacheStore } from '../../shared/src/ports/cache-store.ts';
import { FakeClock } from '../support/fake-clock.ts';

export type CacheStoreFactory = (clock: FakeClock) => CacheStore;

/** The behaviour every CacheStore must have. Keys are unique per test. */
export function describeCacheStoreContract(name: string, createStore: CacheStoreFactory): void {
  describe(`${name} (CacheStore contract)`, () => {
    function setup() {
      const clock = new FakeClock();
      return { clock, store: createStore(clock), key: `cache-${randomUUID()}`, inAnHour: Math.floor(clock.now() / 1000) + 3600 };
    }

    it('misses a key never written', async () => {
      const { store, key } = setup();
      expect(await store.get(key)).toBeUndefined();
    });

    it('returns the exact bytes it was given, with when they were stored and until when', async () => {
      const { store, key, clock, inAnHour } = setup();
      const value = new Uint8Array([0, 1, 2, 255, 0, 128, 31, 139]);
      await store.put(key, value, { expiresAt: inAnHour });
      const cached = await store.get(key);
      expect(cached?.createdAt).toBe(clock.now());
      expect(cached?.expiresAt).toBe(inAnHour);
      expect(Buffer.from(cached?.value ?? []).equals(Buffer.from(value))).toBe(true);
    });

    it('replaces a value and forgets a deleted one', async () => {
      const { store, key, inAnHour } = setup();
      await store.put(key, new Uint8Array([1]), { expiresAt: inAnHour });
      await store.put(key, new Uint8Array([2, 2]), { expiresAt: inAnHour });
      expect([...((await store.get(key))?.value ?? [])]).toEqual([2, 2]);
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      await store.delete(key);
    });

    it('misses an expired value', async () => {
      const { store, key, clock } = setup();
      await store.put(key, new Uint8Array([1]), { expiresAt: Math.floor(clock.now() / 1000) + 10 });
      clock.current += 11_000;
      expect(await store.get(key)).toBeUndefined();
    });

    it('takes values up to maxValueBytes and refuses larger ones', async () => {
      const { store, key, inAnHour } = setup();
      expect(store.maxValueBytes).toBeGreaterThanOrEqual(100 * 1024);
      await store.put(key, new Uint8Array(store.maxValueBytes).fill(7), { expiresAt: inAnHour });
      expect((await store.get(key))?.value.byteLength).toBe(store.maxValueBytes);
      await expect(store.put(`${key}-big`, new Uint8Array(store.maxValueBytes + 1), { expiresAt: inAnHour })).rejects.toBeInstanceOf(RangeError);
    });
  });
}
