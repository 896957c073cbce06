import type { JsonValue } from '../../core/json.ts';

const encoder = new TextEncoder();

const FNV_PRIME = 0x01000193;
const FNV_OFFSET = 0x811c9dc5;
// A second offset basis gives an independent 32-bit hash, so two passes make a 64-bit id.
const SECOND_OFFSET = 0x5bd1e995;

function fnv1a32(bytes: Uint8Array, offset: number): number {
  let hash = offset >>> 0;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** A 16-hex-digit hash of a string: the same text always gives the same hash, on every runtime. */
export function stableHash(text: string): string {
  const bytes = encoder.encode(text);
  return [FNV_OFFSET, SECOND_OFFSET].map((offset) => fnv1a32(bytes, offset).toString(16).padStart(8, '0')).join('');
}

/** JSON text with object keys sorted at every level, so equal values hash equally whatever their key order. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * A deterministic sequence of numbers in [0, 1) seeded from a string (xorshift32). The mock
 * provider uses it where real providers would be random, so its answers repeat exactly.
 */
export function seededSequence(seed: string): () => number {
  // xorshift32 is stuck at zero, so a zero seed is nudged to a fixed non-zero state.
  let state = fnv1a32(encoder.encode(seed), FNV_OFFSET) || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x1_0000_0000;
  };
}
