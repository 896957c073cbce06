import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { BadRequestError } from '../../core/gateway-error.ts';
import type { DynamoItem } from './dynamodb-item.ts';

type KeyValue = { S: string } | { N: string };

function keyValue(value: AttributeValue): KeyValue {
  if ('S' in value && typeof value.S === 'string') return { S: value.S };
  if ('N' in value && typeof value.N === 'string') return { N: value.N };
  throw new Error('Turnpike keys are strings or numbers only.');
}

/** What a cursor holds besides the key: e.g. the day a multi-day log query had reached. */
export type CursorState = Readonly<Record<string, string>>;

/** Turn DynamoDB's LastEvaluatedKey (and any extra state) into an opaque page cursor. */
export function encodeCursor(lastKey: DynamoItem, state: CursorState = {}): string {
  const key: Record<string, KeyValue> = {};
  for (const [name, value] of Object.entries(lastKey)) key[name] = keyValue(value);
  return Buffer.from(JSON.stringify({ k: key, s: state }), 'utf8').toString('base64url');
}

export interface DecodedCursor {
  key: DynamoItem;
  state: CursorState;
}

function invalidCursor(): BadRequestError {
  return new BadRequestError('The cursor is not one this listing returned.', 'invalid_cursor', 'cursor');
}

function isKeyValue(value: unknown): value is KeyValue {
  if (typeof value !== 'object' || value === null) return false;
  const entries = Object.entries(value);
  return entries.length === 1 && (entries[0]?.[0] === 'S' || entries[0]?.[0] === 'N') && typeof entries[0]?.[1] === 'string';
}

/**
 * Read a cursor back. `expected` pins attributes that must hold the query's own values (its
 * partition), so a cursor cannot steer a listing into another partition; `allowed` lists the
 * only attribute names a key of this listing has.
 */
export function decodeCursor(cursor: string, allowed: readonly string[], expected: Readonly<Record<string, string>>): DecodedCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
  const { k, s } = parsed as { k?: unknown; s?: unknown };
  if (typeof k !== 'object' || k === null || typeof s !== 'object' || s === null) throw invalidCursor();
  const key: DynamoItem = {};
  for (const [name, value] of Object.entries(k)) {
    if (!allowed.includes(name) || !isKeyValue(value)) throw invalidCursor();
    key[name] = value;
  }
  for (const [name, value] of Object.entries(expected)) {
    const actual = key[name];
    if (actual === undefined || !('S' in actual) || actual.S !== value) throw invalidCursor();
  }
  const state: Record<string, string> = {};
  for (const [name, value] of Object.entries(s)) {
    if (typeof value !== 'string') throw invalidCursor();
    state[name] = value;
  }
  return { key, state };
}
