import type { Clock } from '../../shared/src/ports/clock.ts';
import type {
  CounterAddOptions,
  CounterAddResult,
  CounterHold,
  CounterState,
  CounterStore,
  HoldSettlement,
  HoldSettlementResult,
} from '../../shared/src/ports/counter-store.ts';

interface MemoryCounter {
  value: number;
  expiresAt: number;
  /**
   * What each slot holds, as the amounts added to it: DynamoDB adds decimals exactly, and
   * a float sum would not come back to exactly 0 when the same amounts are taken out again.
   */
  holds: Map<number, number[]>;
}

const sum = (amounts: readonly number[]): number => amounts.reduce((total, amount) => total + amount, 0);

/**
 * A CounterStore in memory with the same semantics as the DynamoDB one (ceilings, expiry, hold
 * slots; it passes the same contract suite), a switch to make it fail like an unavailable
 * table, and a count of the calls it answered.
 */
export class MemoryCounterStore implements CounterStore {
  readonly #counters = new Map<string, MemoryCounter>();
  readonly #clock: Pick<Clock, 'now'>;
  /** Calls to fail before answering again. */
  failures = 0;
  adds = 0;
  settlements = 0;
  releases = 0;

  constructor(clock: Pick<Clock, 'now'> = { now: () => Date.now() }) {
    this.#clock = clock;
  }

  #fail(): Promise<never> | undefined {
    if (this.failures <= 0) return undefined;
    this.failures--;
    return Promise.reject(new Error('store unavailable'));
  }

  #live(key: string): MemoryCounter | undefined {
    const counter = this.#counters.get(key);
    return counter !== undefined && counter.expiresAt > Math.floor(this.#clock.now() / 1000) ? counter : undefined;
  }

  #holds(counter: MemoryCounter | undefined): CounterHold[] {
    if (counter === undefined) return [];
    return [...counter.holds.entries()]
      .map(([slot, amounts]) => ({ slot, amount: sum(amounts), exact: String(sum(amounts)) }))
      .sort((a, b) => a.slot - b.slot);
  }

  add(key: string, amount: number, options: CounterAddOptions): Promise<CounterAddResult> {
    this.adds++;
    const failed = this.#fail();
    if (failed !== undefined) return failed;
    const live = this.#live(key);
    const current = live?.value ?? 0;
    const withHolds = (result: CounterAddResult, counter: MemoryCounter | undefined): CounterAddResult =>
      options.holdSlot === undefined ? result : { ...result, holds: this.#holds(counter) };
    if (options.ceiling !== undefined && current + amount > options.ceiling) return Promise.resolve(withHolds({ accepted: false, value: current }, live));
    const counter = live ?? { value: 0, expiresAt: options.expiresAt, holds: new Map<number, number[]>() };
    this.#counters.set(key, counter);
    counter.value = current + amount;
    counter.expiresAt = options.expiresAt;
    if (options.holdSlot !== undefined) counter.holds.set(options.holdSlot, [...(counter.holds.get(options.holdSlot) ?? []), amount]);
    return Promise.resolve(withHolds({ accepted: true, value: counter.value }, counter));
  }

  async settleHold(key: string, settlement: HoldSettlement): Promise<HoldSettlementResult> {
    this.settlements++;
    const failed = this.#fail();
    if (failed !== undefined) return failed;
    const counter = this.#counters.get(key);
    const amounts = counter?.holds.get(settlement.slot);
    if (counter === undefined || amounts === undefined) {
      const added = await this.add(key, settlement.actual, { expiresAt: settlement.expiresAt });
      return { value: added.value, held: false };
    }
    const index = amounts.indexOf(settlement.reserved);
    // An amount that was never added here is taken out as a negative entry, as DynamoDB would.
    if (index === -1) amounts.push(-settlement.reserved);
    else amounts.splice(index, 1);
    counter.value += settlement.actual - settlement.reserved;
    counter.expiresAt = settlement.expiresAt;
    return { value: counter.value, held: true };
  }

  releaseHold(key: string, hold: CounterHold): Promise<boolean> {
    this.releases++;
    const failed = this.#fail();
    if (failed !== undefined) return failed;
    const counter = this.#counters.get(key);
    const amounts = counter?.holds.get(hold.slot);
    if (counter === undefined || amounts === undefined || String(sum(amounts)) !== hold.exact) return Promise.resolve(false);
    counter.value -= sum(amounts);
    counter.holds.delete(hold.slot);
    return Promise.resolve(true);
  }

  get(key: string): Promise<number> {
    return Promise.resolve(this.#live(key)?.value ?? 0);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, number>> {
    return new Map(await Promise.all(keys.map(async (key) => [key, await this.get(key)] as const)));
  }

  getStates(keys: readonly string[]): Promise<Map<string, CounterState>> {
    return Promise.resolve(
      new Map(
        keys.map((key) => {
          const live = this.#live(key);
          return [key, { value: live?.value ?? 0, holds: this.#holds(live) }] as const;
        }),
      ),
    );
  }
}
