import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../shared/src/core/gateway-error.ts';
import type { ControlItem, ControlStore } from '../../shared/src/ports/control-store.ts';
import { FakeClock } from '../support/fake-clock.ts';

/** Builds a store over shared storage whose notion of "now" is `clock`. */
export type ControlStoreFactory = (clock: FakeClock) => ControlStore;

/** The behaviour every ControlStore must have. Kinds are unique per test, so tests share storage safely. */
export function describeControlStoreContract(name: string, createStore: ControlStoreFactory): void {
  describe(`${name} (ControlStore contract)`, () => {
    function setup() {
      const clock = new FakeClock();
      return { clock, store: createStore(clock), kind: `kind-${randomUUID()}` };
    }
    const nowSeconds = (clock: FakeClock) => Math.floor(clock.now() / 1000);

    it('reads nothing for an id never written', async () => {
      const { store, kind } = setup();
      expect(await store.get(kind, 'missing')).toBeUndefined();
    });

    it('creates an item at version 1 and reads back the same JSON', async () => {
      const { store, kind, clock } = setup();
      const data = { name: 'Prod key ✓', limits: { rpm: 60, ratio: 0.25 }, tags: ['a', ''], enabled: true, note: null };
      const created = await store.putIfAbsent({ kind, id: 'k1', data });
      expect(created).toEqual({ kind, id: 'k1', data, version: 1, createdAt: clock.now(), updatedAt: clock.now() });
      expect(await store.get(kind, 'k1')).toEqual(created);
    });

    it('refuses to create over a live item and leaves it unchanged', async () => {
      const { store, kind } = setup();
      const first = await store.putIfAbsent({ kind, id: 'k1', data: { owner: 'first' } });
      expect(await store.putIfAbsent({ kind, id: 'k1', data: { owner: 'second' } })).toBeUndefined();
      expect(await store.get(kind, 'k1')).toEqual(first);
    });

    it('treats an expired item as absent: not read, not listed, replaceable by a new one', async () => {
      const { store, kind, clock } = setup();
      await store.putIfAbsent({ kind, id: 'temp', data: { v: 1 }, expiresAt: nowSeconds(clock) + 60 });
      expect(await store.get(kind, 'temp')).toBeDefined();
      clock.current += 61_000;
      expect(await store.get(kind, 'temp')).toBeUndefined();
      expect((await store.list(kind)).items).toEqual([]);
      expect(await store.putIfVersion({ kind, id: 'temp', data: { v: 2 } }, 1)).toBeUndefined();
      const again = await store.putIfAbsent({ kind, id: 'temp', data: { v: 3 } });
      expect(again).toMatchObject({ version: 1, data: { v: 3 } });
      expect(await store.get(kind, 'temp')).toEqual(again);
    });

    it('replaces an item only at the expected version, bumping the version and keeping createdAt', async () => {
      const { store, kind, clock } = setup();
      const created = await store.putIfAbsent({ kind, id: 'cfg', data: { v: 1 }, expiresAt: nowSeconds(clock) + 3600 });
      clock.current += 5_000;
      const updated = await store.putIfVersion({ kind, id: 'cfg', data: { v: 2 } }, 1);
      expect(updated).toEqual({ kind, id: 'cfg', data: { v: 2 }, version: 2, createdAt: created?.createdAt, updatedAt: clock.now() });
      expect(await store.putIfVersion({ kind, id: 'cfg', data: { v: 3 } }, 1)).toBeUndefined();
      expect(await store.get(kind, 'cfg')).toEqual(updated);
      expect(await store.putIfVersion({ kind, id: 'nothing-here', data: {} }, 1)).toBeUndefined();
      expect(await store.get(kind, 'nothing-here')).toBeUndefined();
    });

    it('lets exactly one of several racing writers at the same version win', async () => {
      const { store, kind } = setup();
      await store.putIfAbsent({ kind, id: 'race', data: { writer: 'none' } });
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, writer) => store.putIfVersion({ kind, id: 'race', data: { writer } }, 1)),
      );
      const winners = results.filter((result): result is ControlItem => result !== undefined);
      expect(winners).toHaveLength(1);
      expect(await store.get(kind, 'race')).toEqual(winners[0]);
    });

    it('lets exactly one of several racing creators win', async () => {
      const { store, kind } = setup();
      const results = await Promise.all(Array.from({ length: 8 }, (_, n) => store.putIfAbsent({ kind, id: 'new', data: { n } })));
      expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    });

    it('deletes an item, at an expected version when one is given', async () => {
      const { store, kind } = setup();
      await store.putIfAbsent({ kind, id: 'a', data: {} });
      await store.putIfAbsent({ kind, id: 'b', data: {} });
      expect(await store.delete(kind, 'a')).toBe(true);
      expect(await store.get(kind, 'a')).toBeUndefined();
      expect(await store.delete(kind, 'a')).toBe(false);
      expect(await store.delete(kind, 'b', 2)).toBe(false);
      expect(await store.get(kind, 'b')).toBeDefined();
      expect(await store.delete(kind, 'b', 1)).toBe(true);
    });

    it('lists one kind in id order, by prefix, page by page', async () => {
      const { store, kind } = setup();
      const other = `${kind}-other`;
      const ids = ['ws1/a', 'ws1/b', 'ws1/c', 'ws2/a', 'ws2/b'];
      for (const id of [...ids].reverse()) await store.putIfAbsent({ kind, id, data: { id } });
      await store.putIfAbsent({ kind: other, id: 'ws1/z', data: {} });

      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list(kind, { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => item.id));
        cursor = page.cursor;
        pages++;
      } while (cursor !== undefined && pages < 10);
      expect(seen).toEqual(ids);

      const ws1 = await store.list(kind, { idPrefix: 'ws1/' });
      expect(ws1.items.map((item) => item.id)).toEqual(['ws1/a', 'ws1/b', 'ws1/c']);
      expect(ws1.cursor).toBeUndefined();
    });

    it('rejects a cursor it did not hand out, or one from another kind', async () => {
      const { store, kind } = setup();
      for (const id of ['a', 'b', 'c']) await store.putIfAbsent({ kind, id, data: {} });
      const page = await store.list(kind, { limit: 1 });
      expect(page.cursor).toBeDefined();
      await expect(store.list(kind, { cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(GatewayError);
      await expect(store.list(`${kind}-x`, { cursor: page.cursor as string })).rejects.toMatchObject({ status: 400, code: 'invalid_cursor' });
    });
  });
}
