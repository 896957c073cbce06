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

  it.each(['0', '-5', '1.5', 'soon'])('refuses the lease %j', (value) => {
    expect(() => readUsageLimitOptions({ TURNPIKE_RESERVATION_LEASE_SECONDS: value })).toThrow(/TURNPIKE_RESERVATION_LEASE_SECONDS/);
  });
});
