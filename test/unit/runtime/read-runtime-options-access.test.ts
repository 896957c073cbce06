import { describe, expect, it } from 'vitest';
import { readRuntimeOptions } from '../../../shared/src/runtime/read-runtime-options.ts';

describe('readRuntimeOptions: access settings', () => {
  it('requires gateway keys on AWS and not locally, unless told otherwise', () => {
    expect(readRuntimeOptions({}, 'aws', {}, 'v').settings.requireGatewayKey).toBe(true);
    expect(readRuntimeOptions({}, 'local', {}, 'v').settings.requireGatewayKey).toBe(false);
    expect(readRuntimeOptions({ TURNPIKE_REQUIRE_GATEWAY_KEY: 'true' }, 'local', {}, 'v').settings.requireGatewayKey).toBe(true);
    expect(readRuntimeOptions({ TURNPIKE_REQUIRE_GATEWAY_KEY: 'false' }, 'aws', {}, 'v').settings.requireGatewayKey).toBe(false);
  });

  it('reads the function URL auth type, NONE by default', () => {
    expect(readRuntimeOptions({}, 'aws', {}, 'v').settings.functionUrlAuth).toBe('NONE');
    expect(readRuntimeOptions({ TURNPIKE_FUNCTION_URL_AUTH: 'AWS_IAM' }, 'aws', {}, 'v').settings.functionUrlAuth).toBe('AWS_IAM');
    expect(() => readRuntimeOptions({ TURNPIKE_FUNCTION_URL_AUTH: 'IAM' }, 'aws', {}, 'v')).toThrow(/NONE or AWS_IAM/);
  });

  it('reads the auth cache TTL, 5 s by default and never above 10 s', () => {
    expect(readRuntimeOptions({}, 'aws', {}, 'v').settings.authCacheTtlMs).toBe(5000);
    expect(readRuntimeOptions({ TURNPIKE_AUTH_CACHE_TTL_MS: '250' }, 'aws', {}, 'v').settings.authCacheTtlMs).toBe(250);
    expect(() => readRuntimeOptions({ TURNPIKE_AUTH_CACHE_TTL_MS: '10001' }, 'aws', {}, 'v')).toThrow(/at most 10000/);
  });
});
