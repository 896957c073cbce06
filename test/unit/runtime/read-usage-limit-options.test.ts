import { describe, expect, it } from 'vitest';
import { readUsageLimitOptions } from '../../../shared/src/runtime/read-usage-limit-options.ts';

describe('readUsageLimitOptions', () => {
  it('leaves every setting to its default when nothing is set', () => {
    expect(readUsageLimitOptions({})).toEqual({});
    expect(readUsageLimitOptions({ TURNPIKE_RESERVATION_LEASE_SECONDS: '', TURNPIKE_DEFAULT_MAX_TOKENS: '' })).toEqual({});
  });

  it('reads the reservation lease and the default output reservation', () => {
    expect(readUsageLimitOptions({ TURNPIKE_RESERVATION_LEASE_SECONDS: '1800', TURNPIKE_DEFAULT_MAX_TOKENS: '512' })).toEqual({
      reservationLeaseSeconds: 1800,
      defaultMaxOutputTokens: 512,
    });
  });

  it('reads how long settlements may wait to share a write, 0 included', () => {
    expect(readUsageLimitOptions({ TURNPIKE_SETTLE_COALESCE_MS: '0' })).toEqual({ settleCoalesceMs: 0 });
    expect(readUsageLimitOptions({ TURNPIKE_SETTLE_COALESCE_MS: '50' })).toEqual({ settleCoalesceMs: 50 });
    for (const value of ['-1', '2.5', '5000', 'soon']) expect(() => readUsageLimitOptions({ TURNPIKE_SETTLE_COALESCE_MS: value })).toThrow(/TURNPIKE_SETTLE_COALESCE_MS/);
  });

  it.each(['0', '-5', '1.5', 'soon'])('refuses the lease %j', (value) => {
    expect(() => readUsageLimitOptions({ TURNPIKE_RESERVATION_LEASE_SECONDS: value })).toThrow(/TURNPIKE_RESERVATION_LEASE_SECONDS/);
  });
});
