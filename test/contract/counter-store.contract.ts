import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { CounterStore } from '../../shared/src/ports/counter-store.ts';
import { FakeClock } from '../support/fake-clock.ts';

export type CounterStoreFactory = (clock: FakeClock) => CounterStore;

/** The behaviour every CounterStore must have. Keys are unique per test. */
export function describeCounterStoreContract(name: string, createStore: CounterStoreFactory): void {
  describe(`${name} (CounterStore contract)`, () => {
    function setup() {
      const clock = new FakeClock();
      const inAnHour = Math.floor(clock.now() / 1000) + 3600;
      return { clock, store: createStore(clock), key: `counter-${randomUUID()}`, inAnHour };
    }

    it('reads 0 for a counter never added to', async () => {
      const { store, key } = setup();
      expect(await store.get(key)).toBe(0);
    });

    it('adds up, fractions and give-backs included', async () => {
      const { store, key, inAnHour } = setup();
      expect(await store.add(key, 3, { expiresAt: inAnHour })).toEqual({ accepted: true, value: 3 });
      expect(await store.add(key, 0.25, { expiresAt: inAnHour })).toEqual({ accepted: true, value: 3.25 });
      expect(await store.add(key, -1.25, { expiresAt: inAnHour })).toEqual({ accepted: true, value: 2 });
      expect(await store.get(key)).toBe(2);
    });

    it('refuses an add that would pass the ceiling and changes nothing', async () => {
      const { store, key, inAnHour } = setup();
      expect(await store.add(key, 7, { ceiling: 10, expiresAt: inAnHour })).toEqual({ accepted: true, value: 7 });
      expect(await store.add(key, 4, { ceiling: 10, expiresAt: inAnHour })).toEqual({ accepted: false, value: 7 });
      expect(await store.add(key, 3, { ceiling: 10, expiresAt: inAnHour })).toEqual({ accepted: true, value: 10 });
      expect(await store.add(key, -2, { ceiling: 10, expiresAt: inAnHour })).toEqual({ accepted: true, value: 8 });
      expect(await store.get(key)).toBe(8);
    });

    it('refuses a first add larger than the ceiling', async () => {
      const { store, key, inAnHour } = setup();
      expect(await store.add(key, 11, { ceiling: 10, expiresAt: inAnHour })).toEqual({ accepted: false, value: 0 });
      expect(await store.get(key)).toBe(0);
    });

    it('accepts exactly ceiling-many of 50 concurrent adds', async () => {
      const { store, key, inAnHour } = setup();
      const results = await Promise.all(Array.from({ length: 50 }, () => store.add(key, 1, { ceiling: 10, expiresAt: inAnHour })));
      expect(results.filter((result) => result.accepted)).toHaveLength(10);
      expect(results.filter((result) => !result.accepted).every((result) => result.value === 10)).toBe(true);
      expect(await store.get(key)).toBe(10);
    });

    it('reads an expired counter as 0 and starts it afresh on the next add', async () => {
      const { store, key, clock } = setup();
      const windowEnd = Math.floor(clock.now() / 1000) + 60;
      await store.add(key, 10, { ceiling: 10, expiresAt: windowEnd });
      expect(await store.add(key, 1, { ceiling: 10, expiresAt: windowEnd })).toEqual({ accepted: false, value: 10 });
      clock.current += 61_000;
      expect(await store.get(key)).toBe(0);
      const nextWindowEnd = windowEnd + 60;
      expect(await store.add(key, 4, { ceiling: 10, expiresAt: nextWindowEnd })).toEqual({ accepted: true, value: 4 });
      expect(await store.add(key, 1, { expiresAt: nextWindowEnd })).toEqual({ accepted: true, value: 5 });
      expect(await store.get(key)).toBe(5);
    });

    it('restarts an expired counter once under concurrent adds', async () => {
      const { store, key, clock } = setup();
      await store.add(key, 100, { expiresAt: Math.floor(clock.now() / 1000) + 1 });
      clock.current += 2_000;
      const expiresAt = Math.floor(clock.now() / 1000) + 60;
      const results = await Promise.all(Array.from({ length: 6 }, () => store.add(key, 1, { ceiling: 4, expiresAt })));
      expect(results.filter((result) => result.accepted)).toHaveLength(4);
      expect(await store.get(key)).toBe(4);
    });

    it('reads several counters at once, missing and expired ones as 0', async () => {
      const { store, key, clock, inAnHour } = setup();
      await store.add(`${key}-a`, 2, { expiresAt: inAnHour });
      await store.add(`${key}-b`, 5, { expiresAt: Math.floor(clock.now() / 1000) + 1 });
      clock.current += 2_000;
      const values = await store.getMany([`${key}-a`, `${key}-b`, `${key}-c`, `${key}-a`]);
      expect(Object.fromEntries(values)).toEqual({ [`${key}-a`]: 2, [`${key}-b`]: 0, [`${key}-c`]: 0 });
      expect((await store.getMany([])).size).toBe(0);
    });
  });
}
