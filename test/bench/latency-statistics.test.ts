import { describe, expect, it } from 'vitest';
import { percentile, summarizeLatencies } from '../../bench/latency-statistics.ts';

describe('percentile', () => {
  it('takes the nearest rank of the sorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 0.5)).toBe(5);
    expect(percentile(samples, 0.99)).toBe(10);
    expect(percentile(samples, 0.1)).toBe(1);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('is NaN without samples', () => {
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('leaves the samples in their order', () => {
    const samples = [3, 1, 2];
    percentile(samples, 0.5);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('summarizeLatencies', () => {
  it('gives the count, median and 99th percentile', () => {
    const samples = Array.from({ length: 200 }, (_, index) => index + 1);
    expect(summarizeLatencies(samples)).toEqual({ count: 200, p50: 100, p99: 198 });
  });
});
