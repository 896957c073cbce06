import type { JsonValue } from '../core/json.ts';

/**
 * JSON text that depends only on the value: object keys sorted (by UTF-16 code unit, like
 * `Array.prototype.sort`), no whitespace, numbers as JavaScript prints them (so `0.70` and
 * `0.7` are the same). Two requests that differ only in key order or formatting get the
 * same text, and so the same cache key.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const members: string[] = [];
  for (const key of keys) {
    const member = value[key];
    // JSON.parse never yields undefined, but objects built in code can hold it: skip like JSON.stringify.
    if (member === undefined) continue;
    members.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${members.join(',')}}`;
}
