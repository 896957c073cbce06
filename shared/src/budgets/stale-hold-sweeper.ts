import type { CounterHold, CounterStore } from '../ports/counter-store.ts';

/** A stale hold slot, and the counter it is on. */
export interface StaleHold {
  key: string;
  hold: CounterHold;
}

/**
 * Give back a stale slot. The release is conditioned on the amount that was seen, so a late
 * settlement that changed the slot meanwhile makes it fail: then the slot is read again and
 * released once more; a slot that keeps changing is left to the next sweep.
 */
async function releaseStaleHold(counters: CounterStore, { key, hold }: StaleHold): Promise<void> {
  if (await counters.releaseHold(key, hold)) return;
  const current = (await counters.getStates([key])).get(key)?.holds.find((each) => each.slot === hold.slot);
  if (current !== undefined) await counters.releaseHold(key, current);
}

/**
 * Releases stale hold slots for one process. Every request that reserves on a counter sees its
 * stale slots, so concurrent requests would all try to release the same one: a release
 * already running in this process is joined instead of sent again.
 */
export class StaleHoldSweeper {
  readonly #counters: CounterStore;
  readonly #running = new Map<string, Promise<void>>();

  constructor(counters: CounterStore) {
    this.#counters = counters;
  }

  /** Release every slot in `stale`; never rejects (a failed release is tried again by a later sweep). */
  async release(stale: readonly StaleHold[]): Promise<void> {
    await Promise.all(stale.map((each) => this.#releaseOnce(each)));
  }

  #releaseOnce(stale: StaleHold): Promise<void> {
    const id = `${stale.key}\u0000${stale.hold.slot}`;
    const running = this.#running.get(id);
    if (running !== undefined) return running;
    const released = releaseStaleHold(this.#counters, stale)
      .catch(() => undefined)
      .finally(() => this.#running.delete(id));
    this.#running.set(id, released);
    return released;
  }
}
