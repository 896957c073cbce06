import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
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
