import { type DecimalAmount, negatedDecimal, sumDecimals } from '../../shared/src/core/exact-decimal-sum.ts';
import type { Clock } from '../../shared/src/ports/clock.ts';
import type {
  CounterAddOptions,
  CounterAddResult,
  CounterField,
  CounterFieldsResult,
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
   * What each slot holds, as an exact decimal string: DynamoDB adds decimals exactly, and a
   * float sum would not come back to exactly 0 when the same amounts are taken out again.
   */
  holds: Map<number, string>;
  /** The named fields of `addFields`. */
  fields: Map<string, number>;
}

/**
 * A CounterStore in memory with the same semantics as the DynamoDB one (ceilings, expiry, hold
 * slots, named fields; it passes the same contract suite), a switch to make it fail like an
 * unavailable table, and a count of the calls it answered.
 */
export class MemoryCounterStore implements CounterStore {
  readonly #counters = new Map<string, MemoryCounter>();
  readonly #clock: Pick<Clock, 'now'>;
  /** Calls to fail before answering again. */
  failures = 0;
  adds = 0;
  fieldAdds = 0;
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

  /** The live counter, or a fresh one in its place. */
  #liveOrNew(key: string, expiresAt: number): MemoryCounter {
    const live = this.#live(key);
    if (live !== undefined) return live;
    const counter: MemoryCounter = { value: 0, expiresAt, holds: new Map(), fields: new Map() };
    this.#counters.set(key, counter);
    return counter;
  }

  #holds(counter: MemoryCounter | undefined): CounterHold[] {
    if (counter === undefined) return [];
    return [...counter.holds.entries()].map(([slot, exact]) => ({ slot, amount: Number(exact), exact })).sort((a, b) => a.slot - b.slot);
  }

  #add(key: string, amount: DecimalAmount, options: CounterAddOptions): CounterAddResult {
    const live = this.#live(key);
    const current = live?.value ?? 0;
    const withHolds = (result: CounterAddResult, counter: MemoryCounter | undefined): CounterAddResult =>
      options.holdSlot === undefined ? result : { ...result, holds: this.#holds(counter) };
    if (options.ceiling !== undefined && current + Number(amount) > options.ceiling) return withHolds({ accepted: false, value: current }, live);
    const counter = this.#liveOrNew(key, options.expiresAt);
    counter.value = current + Number(amount);
    counter.expiresAt = options.expiresAt;
    if (options.holdSlot !== undefined) counter.holds.set(options.holdSlot, sumDecimals([counter.holds.get(options.holdSlot) ?? 0, amount]));
    return withHolds({ accepted: true, value: counter.value }, counter);
  }

  add(key: string, amount: number, options: CounterAddOptions): Promise<CounterAddResult> {
    this.adds++;
    return this.#fail() ?? Promise.resolve(this.#add(key, amount, options));
  }

  addFields(key: string, fields: readonly CounterField[], options: Pick<CounterAddOptions, 'expiresAt'>): Promise<CounterFieldsResult> {
    this.fieldAdds++;
    const failed = this.#fail();
    if (failed !== undefined) return failed;
    if (fields.length === 0 || new Set(fields.map((field) => field.name)).size !== fields.length) return Promise.reject(new RangeError('addFields needs distinct fields.'));
    const live = this.#live(key);
    const values = Object.fromEntries(fields.map((field) => [field.name, live?.fields.get(field.name) ?? 0]));
    const over = fields.filter((field) => field.ceiling !== undefined && (values[field.name] ?? 0) + field.amount > field.ceiling).map((field) => field.name);
    if (over.length > 0) return Promise.resolve({ accepted: false, values, over });
    const counter = this.#liveOrNew(key, options.expiresAt);
    counter.expiresAt = options.expiresAt;
    for (const field of fields) {
      const value = (counter.fields.get(field.name) ?? 0) + field.amount;
      counter.fields.set(field.name, value);
      values[field.name] = value;
    }
    return Promise.resolve({ accepted: true, values, over: [] });
  }

  settleHold(key: string, settlement: HoldSettlement): Promise<HoldSettlementResult> {
    this.settlements++;
    const failed = this.#fail();
    if (failed !== undefined) return failed;
    const counter = this.#counters.get(key);
    const held = counter?.holds.get(settlement.slot);
    if (counter === undefined || held === undefined) {
      const added = this.#add(key, settlement.actual, { expiresAt: settlement.expiresAt });
      return Promise.resolve({ value: added.value, held: false });
    }
    counter.holds.set(settlement.slot, sumDecimals([held, negatedDecimal(settlement.reserved)]));
    counter.value += Number(sumDecimals([settlement.actual, negatedDecimal(settlement.reserved)]));
    counter.expiresAt = settlement.expiresAt;
    return Promise.resolve({ value: counter.value, held: true });
  }

  releaseHold(key: string, hold: CounterHold): Promise<boolean> {
    this.releases++;
    const failed = this.#fail();
    if (failed !== undefined) return failed;
    const counter = this.#counters.get(key);
    const held = counter?.holds.get(hold.slot);
    if (counter === undefined || held === undefined || held !== sumDecimals([hold.exact])) return Promise.resolve(false);
    counter.value -= Number(held);
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
          const state: CounterState = { value: live?.value ?? 0, holds: this.#holds(live) };
          if (live !== undefined && live.fields.size > 0) state.fields = Object.fromEntries(live.fields);
          return [key, state] as const;
        }),
      ),
    );
  }
}
