import { describe, expect, it } from 'vitest';
import { parseRetryAfterMs } from '../../../shared/src/protocol/retry-after.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const parse = (headers: Record<string, string>) => parseRetryAfterMs(new Headers(headers), NOW);

describe('parseRetryAfterMs', () => {
  it('reads delay-seconds, whole or fractional', () => {
    expect(parse({ 'retry-after': '7' })).toBe(7000);
    expect(parse({ 'retry-after': '0' })).toBe(0);
    expect(parse({ 'retry-after': ' 1.5 ' })).toBe(1500);
  });

  it('reads an HTTP-date relative to now, and a past date as zero', () => {
    expect(parse({ 'retry-after': 'Sun, 01 Mar 2026 12:00:30 GMT' })).toBe(30_000);
    expect(parse({ 'retry-after': 'Sunday, 01-Mar-26 12:00:05 GMT' })).toBe(5000);
    expect(parse({ 'retry-after': 'Sun, 01 Mar 2026 11:00:00 GMT' })).toBe(0);
  });

  it('prefers retry-after-ms, in milliseconds', () => {
    expect(parse({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(parse({ 'retry-after-ms': '12.2' })).toBe(13);
  });

  it('falls back to retry-after when retry-after-ms is garbage', () => {
    expect(parse({ 'retry-after-ms': 'soon', 'retry-after': '2' })).toBe(2000);
  });

  it('returns undefined for absent or garbage values', () => {
    expect(parse({})).toBeUndefined();
    expect(parse({ 'retry-after': '' })).toBeUndefined();
    expect(parse({ 'retry-after': 'soon' })).toBeUndefined();
    expect(parse({ 'retry-after': '-5' })).toBeUndefined();
    expect(parse({ 'retry-after': '1e3' })).toBeUndefined();
    expect(parse({ 'retry-after': 'Sun, 99 Foo 2026 25:00:00 GMT' })).toBeUndefined();
    expect(parse({ 'retry-after-ms': '-1' })).toBeUndefined();
  });
});
