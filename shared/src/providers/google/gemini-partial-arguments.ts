import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { GeminiPartialArgument } from './gemini-api-types.ts';

/**
 * Streamed function-call arguments (Gemini 3's streamFunctionCallArguments) arrive as
 * `{jsonPath: "$.operations[0].action", stringValue: "add", willContinue}` pieces; a string
 * may come in several pieces. This rebuilds the arguments object from them.
 */

type PathKey = string | number;

/** `$.a[0]['b c'].d` → ['a', 0, 'b c', 'd']; undefined for a path this reader does not know. */
export function parseJsonPath(path: string): PathKey[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const keys: PathKey[] = [];
  const token = /\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y;
  token.lastIndex = 1;
  while (token.lastIndex < path.length) {
    const match = token.exec(path);
    if (match === null) return undefined;
    const [, name, position, single, double] = match;
    if (name !== undefined) keys.push(name);
    else if (position !== undefined) keys.push(Number(position));
    else keys.push((single ?? double ?? '').replace(/\\(.)/g, '$1'));
  }
  return keys;
}

function pieceValue(piece: GeminiPartialArgument): JsonValue | undefined {
  if (piece.stringValue !== undefined) return piece.stringValue;
  if (piece.numberValue !== undefined) return piece.numberValue;
  if (piece.boolValue !== undefined) return piece.boolValue;
  if ('nullValue' in piece) return null;
  return undefined;
}

// `__proto__` would replace the object's prototype instead of adding a key, and a huge index
// would make JSON.stringify write millions of nulls.
const MAX_ARRAY_INDEX = 10_000;
const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function isSafeKey(key: PathKey): boolean {
  return typeof key === 'number' ? key <= MAX_ARRAY_INDEX : !UNSAFE_KEYS.has(key);
}

function container(next: PathKey | undefined): JsonObject | JsonValue[] {
  return typeof next === 'number' ? [] : {};
}

/** Apply one piece to `args` in place. Pieces with unknown paths are skipped. */
export function applyPartialArgument(args: JsonObject, piece: GeminiPartialArgument): void {
  const keys = typeof piece.jsonPath === 'string' ? parseJsonPath(piece.jsonPath) : undefined;
  const value = pieceValue(piece);
  if (keys === undefined || keys.length === 0 || value === undefined || !keys.every(isSafeKey)) return;
  let node: JsonObject | JsonValue[] = args;
  for (let depth = 0; depth < keys.length - 1; depth++) {
    const key = keys[depth] as PathKey;
    const next = keys[depth + 1];
    const existing: JsonValue | undefined = Array.isArray(node) ? node[Number(key)] : node[String(key)];
    const child: JsonObject | JsonValue[] = isJsonObject(existing) || Array.isArray(existing) ? existing : container(next);
    if (Array.isArray(node)) node[Number(key)] = child;
    else node[String(key)] = child;
    node = child;
  }
  const last = keys[keys.length - 1] as PathKey;
  const previous: JsonValue | undefined = Array.isArray(node) ? node[Number(last)] : node[String(last)];
  // A string in several pieces: each piece continues the text so far.
  const merged = typeof value === 'string' && typeof previous === 'string' ? previous + value : value;
  if (Array.isArray(node)) node[Number(last)] = merged;
  else node[String(last)] = merged;
}
