import type { DecimalAmount } from '../core/exact-decimal-sum.ts';

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
  /**
   * Also add `amount` to this hold slot of the same counter (epoch seconds, the start of the
   * slot the reservation was made in), in the same atomic write. The result then lists every
   * hold slot the counter has. Absent = a plain add.
   */
  holdSlot?: number;
}

/**
 * What in-flight reservations of one slot hold on a counter. `exact` is the amount as the
 * store wrote it (a decimal string); releasing the slot matches on it, since the number may
 * not survive a round trip through a float.
 */
export interface CounterHold {
  slot: number;
  amount: number;
  exact: string;
}

export interface CounterAddResult {
  accepted: boolean;
  /** The counter after the add when accepted; its unchanged value when refused. */
  value: number;
  /** With `holdSlot`: every hold slot on the counter (after the add, or as it stood when refused). */
  holds?: CounterHold[];
}

/**
 * The end of held reservations of one slot: what they reserved, and what they actually used.
 * Several reservations settle in one write with the exact decimal sums of their amounts (see
 * core/exact-decimal-sum.ts), so the slot gets back exactly the digits it was given.
 */
export interface HoldSettlement {
  slot: number;
  reserved: DecimalAmount;
  actual: DecimalAmount;
  /** As in CounterAddOptions. */
  expiresAt: number;
}

export interface HoldSettlementResult {
  /** The counter after the settlement. */
  value: number;
  /** False when the slot had been released already, so only `actual` was added. */
  held: boolean;
}

/** One named number of a counter item (see `CounterStore.addFields`). */
export interface CounterField {
  /** Letters and digits, starting with a letter; not `value`, which is the counter's own. */
  name: string;
  /** What to add (negative to give back). */
  amount: number;
  /** Refuse the whole add when this field would end above it. Absent = no limit. */
  ceiling?: number;
}

export interface CounterFieldsResult {
  accepted: boolean;
  /** Every field of the call by name: after the add when accepted, as they stood when refused (0 when absent). */
  values: Record<string, number>;
  /** When refused, the fields whose ceiling the add would have passed (at least one); empty when accepted. */
  over: string[];
}

/** A counter with its hold slots. */
export interface CounterState {
  value: number;
  holds: CounterHold[];
  /** The named fields of the item (`addFields`); absent when it has none. */
  fields?: Record<string, number>;
}

/**
 * Numeric counters for budgets, rate limits and rollups. `add` and `addFields` are one atomic
 * conditional write per call (DynamoDB `ADD` with a `ConditionExpression`), so a ceiling holds
 * under any concurrency without a read first. Conventions for callers: a fixed window is a key
 * that names its window start (`rate#<subject>#<windowStart>`); a reservation is a positive add that a
 * later negative add settles, on a counter whose `expiresAt` bounds how long a lost
 * settlement can hold budget.
 *
 * Hold slots bound that time better: a reservation made with `holdSlot` is also recorded in
 * that slot, so `value` = what was spent + every slot's amount. Settling takes it out of the
 * slot again (`settleHold`); a slot that outlived every request that could still settle
 * against it holds only what crashed requests reserved, and `releaseHold` gives that back.
 */
export interface CounterStore {
  /** Add `amount` (negative to give back). */
  add(key: string, amount: number, options: CounterAddOptions): Promise<CounterAddResult>;
  /**
   * Add to several named fields of one counter item in one atomic conditional write, so
   * numbers that are limited together (a rate window's requests and tokens) cost one write:
   * when any field would pass its ceiling, nothing changes. The item's `expiresAt` applies to
   * every field; an expired item starts afresh with only these fields. `options.ceiling` and
   * `options.holdSlot` do not apply here.
   */
  addFields(key: string, fields: readonly CounterField[], options: Pick<CounterAddOptions, 'expiresAt'>): Promise<CounterFieldsResult>;
  /**
   * End a reservation made with `holdSlot`: when the slot still exists, add `actual − reserved`
   * to the counter and `−reserved` to the slot in one conditional write; when the slot was
   * released meanwhile (which gave back all it held), add `actual` alone. No ceiling applies.
   */
  settleHold(key: string, settlement: HoldSettlement): Promise<HoldSettlementResult>;
  /**
   * Give back what a slot holds and remove it, only while it still holds exactly `hold.exact`.
   * False (nothing changed) when the slot changed or is gone.
   */
  releaseHold(key: string, hold: CounterHold): Promise<boolean>;
  /** The counter's value; 0 when it does not exist or has expired. */
  get(key: string): Promise<number>;
  /** Several counters in one round trip; missing and expired ones are 0. */
  getMany(keys: readonly string[]): Promise<Map<string, number>>;
  /** Several counters with their hold slots in one round trip; missing and expired ones are 0 with none. */
  getStates(keys: readonly string[]): Promise<Map<string, CounterState>>;
}
