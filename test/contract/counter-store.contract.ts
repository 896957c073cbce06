import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sumDecimals } from '../../shared/src/core/exact-decimal-sum.ts';
import type { CounterHold, CounterStore } from '../../shared/src/ports/counter-store.ts';
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
    describe('named fields', () => {
      it('adds to several fields in one write and answers every field', async () => {
        const { store, key, inAnHour } = setup();
        const fields = (tokens: number) => [{ name: 'requests', amount: 1, ceiling: 10 }, { name: 'tokens', amount: tokens, ceiling: 1000 }];
        expect(await store.addFields(key, fields(300), { expiresAt: inAnHour })).toEqual({ accepted: true, values: { requests: 1, tokens: 300 }, over: [] });
        expect(await store.addFields(key, fields(200), { expiresAt: inAnHour })).toEqual({ accepted: true, values: { requests: 2, tokens: 500 }, over: [] });
        // A correction of one field, without a ceiling, may go below what was reserved.
        expect(await store.addFields(key, [{ name: 'tokens', amount: -450 }], { expiresAt: inAnHour })).toEqual({ accepted: true, values: { tokens: 50 }, over: [] });
        expect((await store.getStates([key])).get(key)).toEqual({ value: 0, holds: [], fields: { requests: 2, tokens: 50 } });
      });

      it('refuses the whole add when any field would pass its ceiling, and names the fields that would', async () => {
        const { store, key, inAnHour } = setup();
        await store.addFields(key, [{ name: 'requests', amount: 1, ceiling: 3 }, { name: 'tokens', amount: 900, ceiling: 1000 }], { expiresAt: inAnHour });
        const refused = await store.addFields(key, [{ name: 'requests', amount: 1, ceiling: 3 }, { name: 'tokens', amount: 200, ceiling: 1000 }], { expiresAt: inAnHour });
        expect(refused).toEqual({ accepted: false, values: { requests: 1, tokens: 900 }, over: ['tokens'] });
        const both = await store.addFields(key, [{ name: 'requests', amount: 3, ceiling: 3 }, { name: 'tokens', amount: 101, ceiling: 1000 }], { expiresAt: inAnHour });
        expect(both).toEqual({ accepted: false, values: { requests: 1, tokens: 900 }, over: ['requests', 'tokens'] });
        // A field without a ceiling never refuses.
        expect(await store.addFields(key, [{ name: 'requests', amount: 1, ceiling: 3 }, { name: 'tokens', amount: 5000 }], { expiresAt: inAnHour })).toMatchObject({
          accepted: true,
          values: { requests: 2, tokens: 5900 },
        });
      });

      it('refuses a first add larger than a ceiling, leaving no item', async () => {
        const { store, key, inAnHour } = setup();
        expect(await store.addFields(key, [{ name: 'requests', amount: 1, ceiling: 5 }, { name: 'tokens', amount: 11, ceiling: 10 }], { expiresAt: inAnHour })).toEqual({
          accepted: false,
          values: { requests: 0, tokens: 0 },
          over: ['tokens'],
        });
        expect((await store.getStates([key])).get(key)).toEqual({ value: 0, holds: [] });
      });

      it('adds a field the item does not have yet under its ceiling', async () => {
        const { store, key, inAnHour } = setup();
        await store.addFields(key, [{ name: 'requests', amount: 1, ceiling: 5 }], { expiresAt: inAnHour });
        expect(await store.addFields(key, [{ name: 'requests', amount: 1, ceiling: 5 }, { name: 'tokens', amount: 40, ceiling: 50 }], { expiresAt: inAnHour })).toEqual({
          accepted: true,
          values: { requests: 2, tokens: 40 },
          over: [],
        });
      });

      it('starts an expired item afresh with only the new fields', async () => {
        const { store, key, clock } = setup();
        await store.addFields(key, [{ name: 'requests', amount: 5, ceiling: 5 }, { name: 'tokens', amount: 10 }], { expiresAt: Math.floor(clock.now() / 1000) + 60 });
        clock.current += 61_000;
        expect((await store.getStates([key])).get(key)).toEqual({ value: 0, holds: [] });
        const restarted = await store.addFields(key, [{ name: 'requests', amount: 1, ceiling: 5 }], { expiresAt: Math.floor(clock.now() / 1000) + 60 });
        expect(restarted).toEqual({ accepted: true, values: { requests: 1 }, over: [] });
        expect((await store.getStates([key])).get(key)?.fields).toEqual({ requests: 1 });
      });

      it('accepts exactly ceiling-many of 40 concurrent adds, whichever field runs out first', async () => {
        const { store, key, inAnHour } = setup();
        const results = await Promise.all(
          Array.from({ length: 40 }, () => store.addFields(key, [{ name: 'requests', amount: 1, ceiling: 12 }, { name: 'tokens', amount: 100, ceiling: 1000 }], { expiresAt: inAnHour })),
        );
        expect(results.filter((result) => result.accepted)).toHaveLength(10);
        expect(results.filter((result) => !result.accepted).every((result) => result.over.join() === 'tokens')).toBe(true);
        expect((await store.getStates([key])).get(key)?.fields).toEqual({ requests: 10, tokens: 1000 });
      });
    });

    describe('hold slots', () => {
      const slotA = 1_700_000_100;
      const slotB = slotA + 300;
      const amounts = (holds: readonly CounterHold[] | undefined) => (holds ?? []).map(({ slot, amount }) => ({ slot, amount }));

      it('records a held add in its slot, in the same write, and lists every slot', async () => {
        const { store, key, inAnHour } = setup();
        const first = await store.add(key, 3, { ceiling: 10, expiresAt: inAnHour, holdSlot: slotA });
        expect(first).toMatchObject({ accepted: true, value: 3 });
        expect(amounts(first.holds)).toEqual([{ slot: slotA, amount: 3 }]);
        const second = await store.add(key, 2, { ceiling: 10, expiresAt: inAnHour, holdSlot: slotB });
        expect(amounts(second.holds)).toEqual([{ slot: slotA, amount: 3 }, { slot: slotB, amount: 2 }]);
        const third = await store.add(key, 1, { ceiling: 10, expiresAt: inAnHour, holdSlot: slotA });
        expect(third.value).toBe(6);
        expect(amounts(third.holds)).toEqual([{ slot: slotA, amount: 4 }, { slot: slotB, amount: 2 }]);
        // A plain add on the same counter touches no slot and answers without them.
        expect(await store.add(key, 1, { expiresAt: inAnHour })).toEqual({ accepted: true, value: 7 });
        const state = (await store.getStates([key])).get(key);
        expect(state?.value).toBe(7);
        expect(amounts(state?.holds)).toEqual([{ slot: slotA, amount: 4 }, { slot: slotB, amount: 2 }]);
      });

      it('refuses a held add past the ceiling, changing nothing, and shows the slots as they stand', async () => {
        const { store, key, inAnHour } = setup();
        await store.add(key, 8, { ceiling: 10, expiresAt: inAnHour, holdSlot: slotA });
        const refused = await store.add(key, 3, { ceiling: 10, expiresAt: inAnHour, holdSlot: slotB });
        expect(refused).toMatchObject({ accepted: false, value: 8 });
        expect(amounts(refused.holds)).toEqual([{ slot: slotA, amount: 8 }]);
        const tooLarge = await store.add(`${key}-new`, 11, { ceiling: 10, expiresAt: inAnHour, holdSlot: slotA });
        expect(tooLarge).toEqual({ accepted: false, value: 0, holds: [] });
      });

      it('starts an expired counter afresh with only the new slot', async () => {
        const { store, key, clock } = setup();
        await store.add(key, 5, { expiresAt: Math.floor(clock.now() / 1000) + 1, holdSlot: slotA });
        clock.current += 2_000;
        const restarted = await store.add(key, 2, { ceiling: 10, expiresAt: Math.floor(clock.now() / 1000) + 60, holdSlot: slotB });
        expect(restarted).toMatchObject({ accepted: true, value: 2 });
        expect(amounts(restarted.holds)).toEqual([{ slot: slotB, amount: 2 }]);
      });

      it('settles a held reservation to its actual use and brings the slot back to exactly 0', async () => {
        const { store, key, inAnHour } = setup();
        // Decimal fractions a float sum would not bring back to 0.
        const reserved = [0.1, 0.2, 0.7, 0.3, 0.0031];
        await Promise.all(reserved.map((amount) => store.add(key, amount, { ceiling: 10, expiresAt: inAnHour, holdSlot: slotA })));
        const settled = await Promise.all(reserved.map((amount) => store.settleHold(key, { slot: slotA, reserved: amount, actual: 0.25, expiresAt: inAnHour })));
        expect(settled.every((result) => result.held)).toBe(true);
        const state = (await store.getStates([key])).get(key);
        expect(state?.value).toBeCloseTo(1.25, 12);
        expect(state?.holds).toHaveLength(1);
        expect(state?.holds[0]?.amount).toBe(0);
        expect(Number(state?.holds[0]?.exact)).toBe(0);
      });

      it('settles several reservations of a slot in one write with the exact sums of their amounts', async () => {
        const { store, key, inAnHour } = setup();
        const reserved = [0.1, 0.2, 0.7, 1e-7, 0.0031];
        for (const amount of reserved) await store.add(key, amount, { ceiling: 10, expiresAt: inAnHour, holdSlot: slotA });
        const settled = await store.settleHold(key, { slot: slotA, reserved: sumDecimals(reserved), actual: sumDecimals([0.01, 0.02, 0.3]), expiresAt: inAnHour });
        expect(settled.held).toBe(true);
        expect(settled.value).toBeCloseTo(0.33, 12);
        const state = (await store.getStates([key])).get(key);
        expect(state?.holds.map((hold) => hold.exact)).toEqual(['0']);
        // Released meanwhile: the exact sum of the use alone is added.
        const released = await store.settleHold(`${key}-gone`, { slot: slotA, reserved: '0.3000001', actual: '0.1000000000000000001', expiresAt: inAnHour });
        expect(released).toEqual({ value: 0.1, held: false });
      });

      it('releases a slot: gives back all it holds and removes it', async () => {
        const { store, key, inAnHour } = setup();
        await store.add(key, 5, { expiresAt: inAnHour, holdSlot: slotA });
        const { holds } = await store.add(key, 2, { expiresAt: inAnHour, holdSlot: slotB });
        const stale = holds?.find((hold) => hold.slot === slotA);
        if (stale === undefined) throw new Error('slot A missing');
        expect(await store.releaseHold(key, stale)).toBe(true);
        const state = (await store.getStates([key])).get(key);
        expect(state?.value).toBe(2);
        expect(amounts(state?.holds)).toEqual([{ slot: slotB, amount: 2 }]);
        expect(await store.releaseHold(key, stale)).toBe(false);
        expect(await store.get(key)).toBe(2);
      });

      it('releases a slot whose amount has more digits than a float keeps', async () => {
        const { store, key, inAnHour } = setup();
        await store.add(key, 0.1, { expiresAt: inAnHour, holdSlot: slotA });
        const { holds } = await store.add(key, 1e-19, { expiresAt: inAnHour, holdSlot: slotA });
        const observed = holds?.[0];
        if (observed === undefined) throw new Error('slot A missing');
        expect(await store.releaseHold(key, observed)).toBe(true);
        expect(await store.getStates([key])).toEqual(new Map([[key, { value: 0, holds: [] }]]));
      });

      it('releases a slot that holds 0 without changing the value', async () => {
        const { store, key, inAnHour } = setup();
        await store.add(key, 0.3, { expiresAt: inAnHour, holdSlot: slotA });
        await store.settleHold(key, { slot: slotA, reserved: 0.3, actual: 0.5, expiresAt: inAnHour });
        const empty = (await store.getStates([key])).get(key)?.holds[0];
        if (empty === undefined) throw new Error('slot A missing');
        expect(await store.releaseHold(key, empty)).toBe(true);
        expect(await store.getStates([key])).toEqual(new Map([[key, { value: 0.5, holds: [] }]]));
      });

      it('refuses to release a slot that a settlement changed after it was read', async () => {
        const { store, key, inAnHour } = setup();
        const { holds } = await store.add(key, 4, { expiresAt: inAnHour, holdSlot: slotA });
        const observed = holds?.[0];
        if (observed === undefined) throw new Error('slot A missing');
        await store.settleHold(key, { slot: slotA, reserved: 4, actual: 1, expiresAt: inAnHour });
        expect(await store.releaseHold(key, observed)).toBe(false);
        const state = (await store.getStates([key])).get(key);
        expect(state?.value).toBe(1);
        expect(amounts(state?.holds)).toEqual([{ slot: slotA, amount: 0 }]);
      });

      it('adds only the actual use when a settlement comes after its slot was released', async () => {
        const { store, key, inAnHour } = setup();
        await store.add(key, 1, { expiresAt: inAnHour });
        const { holds } = await store.add(key, 4, { expiresAt: inAnHour, holdSlot: slotA });
        const observed = holds?.[0];
        if (observed === undefined) throw new Error('slot A missing');
        expect(await store.releaseHold(key, observed)).toBe(true);
        expect(await store.get(key)).toBe(1);
        expect(await store.settleHold(key, { slot: slotA, reserved: 4, actual: 0.5, expiresAt: inAnHour })).toEqual({ value: 1.5, held: false });
        expect(await store.getStates([key])).toEqual(new Map([[key, { value: 1.5, holds: [] }]]));
      });

      it('reads states of several counters, missing and expired ones as 0 without slots', async () => {
        const { store, key, clock, inAnHour } = setup();
        await store.add(`${key}-a`, 2, { expiresAt: inAnHour, holdSlot: slotA });
        await store.add(`${key}-b`, 5, { expiresAt: Math.floor(clock.now() / 1000) + 1, holdSlot: slotA });
        clock.current += 2_000;
        const states = await store.getStates([`${key}-a`, `${key}-b`, `${key}-c`]);
        expect(states.get(`${key}-a`)?.value).toBe(2);
        expect(amounts(states.get(`${key}-a`)?.holds)).toEqual([{ slot: slotA, amount: 2 }]);
        expect(states.get(`${key}-b`)).toEqual({ value: 0, holds: [] });
        expect(states.get(`${key}-c`)).toEqual({ value: 0, holds: [] });
        expect((await store.getStates([])).size).toBe(0);
      });
    });
  });
}
