import { describe, expect, it } from 'vitest';
import { negatedDecimal, sumDecimals } from '../../../shared/src/core/exact-decimal-sum.ts';

describe('exact decimal sums', () => {
  it('adds the decimals numbers are written as, where a float sum would drift', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals([0.1, 0.2])).toBe('0.3');
    expect(sumDecimals([0.1, 0.2, 0.7, 0.3, 0.0031])).toBe('1.3031');
    expect(sumDecimals([0.1, 0.2, -0.3])).toBe('0');
  });

  it('reads exponent notation as String writes it for small and large numbers', () => {
    expect(String(1e-7)).toBe('1e-7');
    expect(sumDecimals([1e-7, 0.5])).toBe('0.5000001');
    expect(sumDecimals([1.5e-10, '2E-10'])).toBe('0.00000000035');
    expect(sumDecimals([1.2e21, 1])).toBe('1200000000000000000001');
    expect(sumDecimals(['1e+3'])).toBe('1000');
  });

  it('keeps digits past what a float holds, and writes a plain canonical decimal', () => {
    expect(sumDecimals([0.1, 1e-19])).toBe('0.1000000000000000001');
    expect(sumDecimals(['1.50', '002', '-0.25'])).toBe('3.25');
    expect(sumDecimals([])).toBe('0');
    expect(sumDecimals([-0])).toBe('0');
    expect(sumDecimals([-1e-7])).toBe('-0.0000001');
  });

  it('negates exactly', () => {
    expect(negatedDecimal(0.0031)).toBe('-0.0031');
    expect(negatedDecimal('-0.3000000000000000001')).toBe('0.3000000000000000001');
    expect(negatedDecimal(0)).toBe('0');
    expect(sumDecimals([negatedDecimal(sumDecimals([0.1, 0.2, 1e-7])), 0.1, 0.2, 1e-7])).toBe('0');
  });

  it('refuses what is not a finite decimal', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, '', 'one', '1.2.3', '0x10', '--1']) expect(() => sumDecimals([bad])).toThrow(RangeError);
  });
});
