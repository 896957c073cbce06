import { describe, expect, it } from 'vitest';
import { rollupWindow } from '../../../shared/src/analytics/rollup-window.ts';

const iso = (window: { start: Date; end: Date }) => [window.start.toISOString(), window.end.toISOString()];

describe('rollupWindow', () => {
  it('covers the last complete hour before the run', () => {
    expect(iso(rollupWindow(new Date('2025-03-04T10:17:42Z'), 60))).toEqual(['2025-03-04T09:00:00.000Z', '2025-03-04T10:00:00.000Z']);
  });

  it('gives runs of the same period the same window, whatever their offset', () => {
    const early = rollupWindow(new Date('2025-03-04T10:00:00Z'), 15);
    const late = rollupWindow(new Date('2025-03-04T10:14:59.999Z'), 15);
    expect(iso(early)).toEqual(iso(late));
    expect(iso(early)).toEqual(['2025-03-04T09:45:00.000Z', '2025-03-04T10:00:00.000Z']);
  });

  it('aligns a daily window to midnight UTC', () => {
    expect(iso(rollupWindow(new Date('2025-03-04T00:30:00Z'), 1440))).toEqual(['2025-03-03T00:00:00.000Z', '2025-03-04T00:00:00.000Z']);
  });

  it('rejects a window that is not a positive whole number of minutes', () => {
    expect(() => rollupWindow(new Date(), 0)).toThrow(RangeError);
    expect(() => rollupWindow(new Date(), 1.5)).toThrow(RangeError);
  });
});
