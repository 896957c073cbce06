import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RollupMetrics, RollupRow, RollupStore } from '../../shared/src/ports/rollup-store.ts';
import { FakeClock } from '../support/fake-clock.ts';

export type RollupStoreFactory = (clock: FakeClock) => RollupStore;

const metrics = (requests: number): RollupMetrics => ({
  requests,
  errors: 1,
  promptTokens: 10,
  completionTokens: 20,
  cachedTokens: 3,
  cost: 0.125,
  cacheHits: 2,
  latencySumMs: 900,
  latencyP50Ms: 100,
  latencyP90Ms: 200,
  latencyP99Ms: 300,
});

/** The behaviour every RollupStore must have. Windows are unique per test. */
export function describeRollupStoreContract(name: string, createStore: RollupStoreFactory): void {
  describe(`${name} (RollupStore contract)`, () => {
    function setup() {
      const clock = new FakeClock();
      // A window of its own per test: an hour picked at random far in the future.
      const windowStart = Date.UTC(2040, 0, 1) + Math.floor(Math.random() * 1_000_000) * 3_600_000;
      const expiresAt = Math.floor(clock.now() / 1000) + 3600;
      const row = (key: string, requests: number): RollupRow => ({ granularity: 'hour', windowStart, dimension: 'model', key, metrics: metrics(requests) });
      return { clock, store: createStore(clock), windowStart, expiresAt, row };
    }

    it('lists the rows of one dimension in one window, in key order', async () => {
      const { store, windowStart, expiresAt, row } = setup();
      await store.put(row('gpt-4o', 5), { computedAt: 1, expiresAt });
      await store.put(row('claude', 2), { computedAt: 1, expiresAt });
      await store.put({ ...row('all', 7), dimension: 'all', key: '*' }, { computedAt: 1, expiresAt });
      await store.put({ ...row('gpt-4o', 9), granularity: 'day' }, { computedAt: 1, expiresAt });
      expect(await store.list('hour', windowStart, 'model')).toEqual([row('claude', 2), row('gpt-4o', 5)]);
      expect(await store.list('hour', windowStart + 3_600_000, 'model')).toEqual([]);
    });

    it('writes absolute figures: a rerun replaces, it never adds', async () => {
      const { store, windowStart, expiresAt, row } = setup();
      await store.put(row('m', 5), { computedAt: 10, expiresAt });
      await store.put(row('m', 5), { computedAt: 20, expiresAt });
      expect(await store.list('hour', windowStart, 'model')).toEqual([row('m', 5)]);
      await store.put(row('m', 6), { computedAt: 30, expiresAt });
      expect(await store.list('hour', windowStart, 'model')).toEqual([row('m', 6)]);
    });

    it('keeps what a later run computed when an earlier run writes last', async () => {
      const { store, windowStart, expiresAt, row } = setup();
      await store.put(row('m', 8), { computedAt: 50, expiresAt });
      await store.put(row('m', 3), { computedAt: 40, expiresAt });
      expect(await store.list('hour', windowStart, 'model')).toEqual([row('m', 8)]);
    });

    it('leaves expired rows out', async () => {
      const { store, windowStart, clock, row } = setup();
      await store.put(row('m', 1), { computedAt: 1, expiresAt: Math.floor(clock.now() / 1000) + 60 });
      clock.current += 61_000;
      expect(await store.list('hour', windowStart, 'model')).toEqual([]);
    });

    it('moves a checkpoint forward only', async () => {
      const { store } = setup();
      const name = `checkpoint-${randomUUID()}`;
      expect(await store.readCheckpoint(name)).toBeUndefined();
      expect(await store.advanceCheckpoint(name, 1000)).toBe(true);
      expect(await store.advanceCheckpoint(name, 1000)).toBe(false);
      expect(await store.advanceCheckpoint(name, 500)).toBe(false);
      expect(await store.readCheckpoint(name)).toBe(1000);
      expect(await store.advanceCheckpoint(name, 2000)).toBe(true);
      expect(await store.readCheckpoint(name)).toBe(2000);
    });
  });
}
