import { describe, expect, it } from 'vitest';
import { readRequestLogOptions } from '../../../shared/src/runtime/read-request-log-options.ts';

describe('readRequestLogOptions', () => {
  it('stores logs with redacted bodies for 30 days by default', () => {
    expect(readRequestLogOptions({})).toEqual({ store: true, bodies: 'redacted', retentionDays: 30 });
  });

  it('reads the three variables', () => {
    expect(readRequestLogOptions({ TURNPIKE_STORE_REQUEST_LOGS: 'false', TURNPIKE_LOG_BODIES: 'FULL', TURNPIKE_LOG_RETENTION_DAYS: '7' })).toEqual({
      store: false,
      bodies: 'full',
      retentionDays: 7,
    });
    expect(readRequestLogOptions({ TURNPIKE_LOG_BODIES: 'off' }).bodies).toBe('off');
  });

  it.each([
    [{ TURNPIKE_LOG_BODIES: 'some' }, /TURNPIKE_LOG_BODIES must be one of full, redacted, off/],
    [{ TURNPIKE_LOG_RETENTION_DAYS: '0' }, /TURNPIKE_LOG_RETENTION_DAYS must be a positive number/],
    [{ TURNPIKE_STORE_REQUEST_LOGS: 'maybe' }, /TURNPIKE_STORE_REQUEST_LOGS must be true or false/],
  ])('refuses %j', (env, message) => {
    expect(() => readRequestLogOptions(env)).toThrow(message);
  });
});
