import { describe, expect, it } from 'vitest';
import { BadRequestError, GatewayError, UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import { anthropicErrorBody, anthropicErrorType } from '../../../../shared/src/protocol/anthropic-messages/anthropic-error-body.ts';

describe('anthropicErrorType', () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [402, 'billing_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [408, 'timeout_error'],
    [413, 'request_too_large'],
    [422, 'invalid_request_error'],
    [429, 'rate_limit_error'],
    [446, 'invalid_request_error'],
    [500, 'api_error'],
    [502, 'api_error'],
    [504, 'timeout_error'],
    [529, 'overloaded_error'],
  ])('HTTP %i → %s', (status, type) => {
    expect(anthropicErrorType(status)).toBe(type);
  });

  it('keeps a type Anthropic knows when no status is known, else api_error', () => {
    expect(anthropicErrorType(undefined, 'overloaded_error')).toBe('overloaded_error');
    expect(anthropicErrorType(undefined, 'server_error')).toBe('api_error');
    expect(anthropicErrorType(undefined)).toBe('api_error');
  });
});

describe('anthropicErrorBody', () => {
  it('renders gateway errors and keeps a provider message', () => {
    expect(anthropicErrorBody(new BadRequestError('`model` must be a string.', 'invalid_type', 'model'))).toEqual({
      type: 'error',
      error: { type: 'invalid_request_error', message: '`model` must be a string.' },
    });
    const upstream = new UpstreamError({
      provider: 'openai',
      status: 429,
      body: { error: { message: 'Rate limit reached for gpt-4.1', type: 'requests', code: 'rate_limit_exceeded', param: null } },
    });
    expect(anthropicErrorBody(upstream)).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit reached for gpt-4.1' } });
    const overloaded = new GatewayError('Overloaded', { status: 529, type: 'overloaded_error', code: 'overloaded' });
    expect(anthropicErrorBody(overloaded).error.type).toBe('overloaded_error');
  });
});
