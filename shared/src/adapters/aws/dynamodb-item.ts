import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.ts';

/** A DynamoDB item as the low-level client sends and returns it. */
export type DynamoItem = Record<string, AttributeValue>;

/** The two key attributes every Turnpike table has (see docs/INFRA-CONTRACT.md). */
export const PARTITION_KEY = 'pk';
export const SORT_KEY = 'sk';
/** The TTL attribute of every table: epoch seconds. */
export const EXPIRES_AT = 'expiresAt';

/** The key of one item. */
export function itemKey(partition: string, sort: string): DynamoItem {
  return { [PARTITION_KEY]: { S: partition }, [SORT_KEY]: { S: sort } };
}

/** A number attribute; DynamoDB carries numbers as decimal strings. */
export function numberAttribute(value: number): AttributeValue {
  if (!Number.isFinite(value)) throw new RangeError(`DynamoDB cannot store the number ${value}.`);
  return { N: String(value) };
}

export function readString(item: DynamoItem, name: string): string | undefined {
  const value = item[name];
  return value !== undefined && 'S' in value && typeof value.S === 'string' ? value.S : undefined;
}

export function readNumber(item: DynamoItem, name: string): number | undefined {
  const value = item[name];
  if (value === undefined || !('N' in value) || typeof value.N !== 'string') return undefined;
  const parsed = Number(value.N);
  return Number.isFinite(parsed) ? parsed : undefined;
}

export function readBinary(item: DynamoItem, name: string): Uint8Array | undefined {
  const value = item[name];
  return value !== undefined && 'B' in value && value.B instanceof Uint8Array ? value.B : undefined;
}

/** Now in epoch seconds, the unit of `expiresAt`. */
export function epochSeconds(clock: Pick<Clock, 'now'>): number {
  return Math.floor(clock.now() / 1000);
}

/**
 * Whether an item still counts. DynamoDB deletes expired items lazily (within days) and
 * dynalite never does, so every read filters on `expiresAt` itself.
 */
export function isLive(item: DynamoItem, nowSeconds: number): boolean {
  const expiresAt = readNumber(item, EXPIRES_AT);
  return expiresAt === undefined || expiresAt > nowSeconds;
}

/** The filter expression that keeps live items in a Query; needs `#expiresAt` and `:now`. */
export const LIVE_ITEMS_FILTER = 'attribute_not_exists(#expiresAt) OR #expiresAt > :now';

/** Clamp a caller's page size into 1..max. */
export function pageLimit(requested: number | undefined, fallback: number, max: number): number {
  if (requested === undefined || !Number.isFinite(requested)) return fallback;
  return Math.min(Math.max(Math.floor(requested), 1), max);
}
