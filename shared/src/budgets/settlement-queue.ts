import type { CounterCharge } from '../ports/counter-charge.ts';
import type { Clock } from '../ports/clock.ts';
import {
  type ActualUse,
  type CounterSettlement,
  type SettleOptions,
  actualAmount,
  addToSettlement,
  needsSettlement,
  settlementFor,
  settlementId,
  writeSettlement,
} from './settle-charges.ts';

export interface SettlementQueueOptions extends SettleOptions {
  clock: Pick<Clock, 'now' | 'sleep' | 'setTimer'>;
  /**
   * How long a settlement waits for others on the same counter to share its write. 0 writes
   * each request's settlements at once (what Lambda needs: a frozen container may never thaw
   * to write what waits).
   */
  coalesceMs: number;
}

/** A settlement waiting for its write, and who waits for that write. */
interface Queued {
  settlement: CounterSettlement;
  written: Promise<void>;
  resolve: () => void;
}

/**
 * The settlements of one runtime, coalesced: the ends of requests' reservations on the same
 * counter item (and hold slot) that arrive within `coalesceMs` of the first are merged into
 * one write carrying the exact decimal sums of their amounts, so a busy key costs one
 * settlement write per window instead of one or two per request. Each merged write keeps
 * settle-charges' retries, `onLost`, the slot-released rule and soft-threshold alerts.
 * `flush()` writes everything queued at once and waits for every write, and settlements that
 * arrive while it runs are written at once too.
 */
export class SettlementQueue {
  readonly #options: SettlementQueueOptions;
  readonly #queued = new Map<string, Queued>();
  readonly #writing = new Set<Promise<void>>();
  #cancelTimer: (() => void) | undefined;
  #draining = 0;

  constructor(options: SettlementQueueOptions) {
    this.#options = options;
  }

  /** End an admitted request's reservations at what it used. Written within `coalesceMs`, or at once with `now`. */
  settle(charges: readonly CounterCharge[], use: ActualUse, options: { now?: boolean } = {}): Promise<void> {
    return this.#enqueue(charges, (charge) => actualAmount(charge, use), options.now === true);
  }

  /**
   * Give back reservations a request will not use (the others were refused, or its attempt
   * failed). `now` writes them without waiting for others, for a caller that awaits the
   * write before it reserves again.
   */
  giveBack(charges: readonly CounterCharge[], options: { now?: boolean } = {}): Promise<void> {
    return this.#enqueue(charges, () => 0, options.now === true);
  }

  /** Write everything queued now, and resolve once every write so far has ended. */
  async flush(): Promise<void> {
    this.#draining++;
    try {
      while (this.#queued.size > 0 || this.#writing.size > 0) {
        this.#sendAll();
        await Promise.all([...this.#writing]);
      }
    } finally {
      this.#draining--;
    }
  }

  #enqueue(charges: readonly CounterCharge[], actual: (charge: CounterCharge) => number, now: boolean): Promise<void> {
    const ids = new Set<string>();
    for (const charge of charges) {
      const amount = actual(charge);
      if (!needsSettlement(charge, amount)) continue;
      const id = settlementId(charge);
      let queued = this.#queued.get(id);
      if (queued === undefined) {
        let resolve = (): void => undefined;
        const written = new Promise<void>((done) => (resolve = done));
        queued = { settlement: settlementFor(charge), written, resolve };
        this.#queued.set(id, queued);
      }
      addToSettlement(queued.settlement, charge, amount);
      ids.add(id);
    }
    const written = [...ids].map((id) => this.#queued.get(id)?.written);
    if (now || this.#options.coalesceMs <= 0 || this.#draining > 0) {
      for (const id of ids) this.#send(id);
    } else if (ids.size > 0) {
      this.#cancelTimer ??= this.#options.clock.setTimer(this.#options.coalesceMs, () => {
        this.#cancelTimer = undefined;
        this.#sendAll();
      });
    }
    return Promise.all(written).then(() => undefined);
  }

  #sendAll(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    for (const id of [...this.#queued.keys()]) this.#send(id);
  }

  #send(id: string): void {
    const queued = this.#queued.get(id);
    if (queued === undefined) return;
    this.#queued.delete(id);
    // writeSettlement never rejects; should a bug make it, the waiters are still released.
    const writing = writeSettlement(this.#options, queued.settlement)
      .catch(() => undefined)
      .finally(() => {
        this.#writing.delete(writing);
        queued.resolve();
      });
    this.#writing.add(writing);
  }
}
