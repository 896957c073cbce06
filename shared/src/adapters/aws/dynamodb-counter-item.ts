import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type DecimalAmount, sumDecimals } from '../../core/exact-decimal-sum.ts';
import type { CounterField, CounterHold, CounterState } from '../../ports/counter-store.ts';
import { type DynamoItem, EXPIRES_AT, PARTITION_KEY, SORT_KEY, isLive, numberAttribute, readNumber } from './dynamodb-item.ts';

// One counter is one item of the Counters table (docs/INFRA-CONTRACT.md), shared by the
// store's writes in dynamodb-counter-store.ts and dynamodb-counter-fields.ts.
//
// Item layout: pk = counter key, sk = COUNTER, `value` (N), `expiresAt` (N), one
// `hold_<slot start>` (N) per hold slot that reservations are in flight in, and the named
// fields of `addFields` (N; letters and digits, so they never clash with a hold slot).
export const SORT_VALUE = 'COUNTER';
export const VALUE = 'value';
const HOLD_PREFIX = 'hold_';
const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const RESERVED_NAMES = new Set([VALUE, EXPIRES_AT, PARTITION_KEY, SORT_KEY]);
// Rounds of a conditional add that lost a race to start (or restart) the same counter.
export const MAX_ADD_ROUNDS = 5;

export function valueOf(item: DynamoItem | undefined, nowSeconds: number): number | undefined {
  if (item === undefined || !isLive(item, nowSeconds)) return undefined;
  return readNumber(item, VALUE) ?? 0;
}

export function holdName(slot: number): string {
  if (!Number.isSafeInteger(slot) || slot < 0) throw new RangeError(`A hold slot is a whole number of epoch seconds, not ${slot}.`);
  return `${HOLD_PREFIX}${slot}`;
}

/** The hold slots of an item, oldest first. */
export function holdsOf(item: DynamoItem): CounterHold[] {
  const holds: CounterHold[] = [];
  for (const [name, attribute] of Object.entries(item)) {
    if (!name.startsWith(HOLD_PREFIX) || !('N' in attribute) || typeof attribute.N !== 'string') continue;
    const slot = Number(name.slice(HOLD_PREFIX.length));
    const amount = Number(attribute.N);
    if (Number.isSafeInteger(slot) && Number.isFinite(amount)) holds.push({ slot, amount, exact: attribute.N });
  }
  return holds.sort((a, b) => a.slot - b.slot);
}

/** The named fields of an item: every number that is not the value, the expiry or a hold slot. */
export function fieldsOf(item: DynamoItem): Record<string, number> | undefined {
  let fields: Record<string, number> | undefined;
  for (const name of Object.keys(item)) {
    if (!FIELD_NAME.test(name) || RESERVED_NAMES.has(name)) continue;
    const amount = readNumber(item, name);
    if (amount !== undefined) (fields ??= {})[name] = amount;
  }
  return fields;
}

export function stateOf(item: DynamoItem | undefined, nowSeconds: number): CounterState {
  const value = valueOf(item, nowSeconds);
  if (item === undefined || value === undefined) return { value: 0, holds: [] };
  const fields = fieldsOf(item);
  return fields === undefined ? { value, holds: holdsOf(item) } : { value, holds: holdsOf(item), fields };
}

/** A decimal amount as DynamoDB takes it: a number as `String` writes it, a decimal string as it is (checked). */
export function decimalAttribute(amount: DecimalAmount): AttributeValue {
  return typeof amount === 'number' ? numberAttribute(amount) : { N: sumDecimals([amount]) };
}

export function checkKey(key: string): void {
  if (key === '') throw new RangeError('A counter needs a non-empty key.');
}

export function checkAmount(amount: DecimalAmount): void {
  if (typeof amount === 'number' && !Number.isFinite(amount)) throw new RangeError(`Cannot add ${amount} to a counter.`);
  if (typeof amount === 'string') sumDecimals([amount]);
}

export function checkFields(fields: readonly CounterField[]): void {
  if (fields.length === 0) throw new RangeError('addFields needs at least one field.');
  const seen = new Set<string>();
  for (const field of fields) {
    if (!FIELD_NAME.test(field.name) || RESERVED_NAMES.has(field.name)) throw new RangeError(`${JSON.stringify(field.name)} cannot name a counter field.`);
    if (seen.has(field.name)) throw new RangeError(`The field ${field.name} appears twice in one add.`);
    seen.add(field.name);
    checkAmount(field.amount);
    if (field.ceiling !== undefined && !Number.isFinite(field.ceiling)) throw new RangeError(`A field's ceiling is a number, not ${field.ceiling}.`);
  }
}

/** The fields whose ceiling the add would pass, from their current values. */
export function fieldsOver(fields: readonly CounterField[], values: Readonly<Record<string, number>>): string[] {
  return fields.filter((field) => field.ceiling !== undefined && (values[field.name] ?? 0) + field.amount > field.ceiling).map((field) => field.name);
}
