/** Options of one counter increment. */
export interface CounterAddOptions {
  /**
   * Refuse the add when the counter would end above this value. A refused add changes nothing.
   * Absent = no limit.
   */
  ceiling?: number;
  /**
   * Epoch seconds after which the counter reads as 0 and the next add starts it afresh.
   * Every accepted add sets it, so callers pass the end of the counter's window.
   */
  expiresAt: number;
}

export interface CounterAddResult {
  accepted: boolean;
  /** The counter after the add when accepted; its unchanged value when refused. */
  value: number;
}

/**
 * Numeric counters for budgets, rate limits and rollups. `add` is one atomic conditional
 * write per call (DynamoDB `ADD` with a `ConditionExpression`), so a ceiling holds under any
 * concurrency without a read first. Conventions for callers: a fixed window is a key that
 * names its window start (`rate#<key>#<windowStart>`); a reservation is a positive add that a
 * later negative add settles, on a counter whose `expiresAt` bounds how long a lost
 * settlement can hold budget.
 */
export interface CounterStore {
  /** Add `amount` (negative to give back). */
  add(key: string, amount: number, options: CounterAddOptions): Promise<CounterAddResult>;
  /** The counter's value; 0 when it does not exist or has expired. */
  get(key: string): Promise<number>;
  /** Several counters in one round trip; missing and expired ones are 0. */
  getMany(keys: readonly string[]): Promise<Map<string, number>>;
}
