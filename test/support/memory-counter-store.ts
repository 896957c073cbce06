import type { CounterAddOptions, CounterAddResult, CounterStore } from '../../shared/src/ports/counter-store.ts';

/** A CounterStore in memory with the same ceiling semantics, and a switch to make it fail like an unavailable table. */
export class MemoryCounterStore implements CounterStore {
  readonly values = new Map<string, number>();
  /** Calls to fail before answering again. */
  failures = 0;
  adds = 0;

  add(key: string, amount: number, options: CounterAddOptions): Promise<CounterAddResult> {
    this.adds++;
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error('store unavailable'));
    }
    const current = this.values.get(key) ?? 0;
    if (options.ceiling !== undefined && current + amount > options.ceiling) return Promise.resolve({ accepted: false, value: current });
    this.values.set(key, current + amount);
    return Promise.resolve({ accepted: true, value: current + amount });
  }

  get(key: string): Promise<number> {
    return Promise.resolve(this.values.get(key) ?? 0);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, number>> {
    return new Map(await Promise.all(keys.map(async (key) => [key, await this.get(key)] as const)));
  }
}
