import { describe, expect, it } from 'vitest';
import { readAnalyticsOptions } from '../../../shared/src/runtime/read-analytics-options.ts';

describe('readAnalyticsOptions', () => {
  it('reads the window the stack sets, an hour by default', () => {
    expect(readAnalyticsOptions({ TURNPIKE_ANALYTICS_WINDOW_MINUTES: '15' })).toEqual({ windowMinutes: 15 });
    expect(readAnalyticsOptions({})).toEqual({ windowMinutes: 60 });
  });

  it('rejects a window that is not a positive whole number', () => {
    expect(() => readAnalyticsOptions({ TURNPIKE_ANALYTICS_WINDOW_MINUTES: '0' })).toThrow(/TURNPIKE_ANALYTICS_WINDOW_MINUTES/);
    expect(() => readAnalyticsOptions({ TURNPIKE_ANALYTICS_WINDOW_MINUTES: 'hourly' })).toThrow(/positive whole number/);
  });
});
