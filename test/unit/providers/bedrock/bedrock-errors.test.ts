import { ServiceQuotaExceededException, ModelNotReadyException, ModelTimeoutException, ResourceNotFoundException, ThrottlingException } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { GatewayError, UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import { bedrockStreamExceptionError, mapBedrockSdkError } from '../../../../shared/src/providers/bedrock/bedrock-errors.ts';

const live = new AbortController().signal;
const metadata = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'req-9', attempts: 1, totalRetryDelay: 0 });

describe('mapBedrockSdkError', () => {
  it.each([
    [new ThrottlingException({ message: 'Rate exceeded', $metadata: metadata(429) }), 429, 'rate_limit_error'],
    [new ResourceNotFoundException({ message: 'Model not found', $metadata: metadata(404) }), 404, 'not_found_error'],
    [new ModelTimeoutException({ message: 'Model timed out', $metadata: metadata(408) }), 408, 'timeout_error'],
    [new ModelNotReadyException({ message: 'Model not ready', $metadata: metadata(429) }), 429, 'rate_limit_error'],
    [new ServiceQuotaExceededException({ message: 'Quota exceeded', $metadata: metadata(400) }), 429, 'rate_limit_error'],
  ])('maps %s to its status, keeping the message and the request id', (exception, status, type) => {
    const error = mapBedrockSdkError(exception, live);
    expect(error).toBeInstanceOf(UpstreamError);
    const upstream = error as UpstreamError;
    expect(upstream.status).toBe(status);
    expect(upstream.toOpenAIError()).toEqual({ error: { message: exception.message, type, code: exception.name, param: null } });
    expect(upstream.headers).toEqual({ 'x-amzn-requestid': 'req-9' });
  });

  it('keeps the HTTP status of exceptions it has no entry for', () => {
    const error = Object.assign(new Error('The security token included in the request is expired'), {
      name: 'ExpiredTokenException',
      $fault: 'client',
      $metadata: metadata(403),
    });
    expect(mapBedrockSdkError(error, live)).toMatchObject({ status: 403, code: 'ExpiredTokenException' });
  });

  it('reports missing credentials as 401 without leaking SDK internals', () => {
    const error = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(mapBedrockSdkError(error, live)).toMatchObject({ status: 401, code: 'missing_provider_credentials' });
  });

  it('reports network failures as 502 upstream_unreachable with the error code only', () => {
    const error = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' });
    const mapped = mapBedrockSdkError(error, live);
    expect(mapped).toMatchObject({ status: 502, code: 'upstream_unreachable', message: 'Could not reach Bedrock (ECONNREFUSED).' });
  });

  it('prefers the engine abort reason', () => {
    const controller = new AbortController();
    const reason = new GatewayError('gone', { status: 499, type: 'api_error', code: 'client_closed_request' });
    controller.abort(reason);
    expect(mapBedrockSdkError(new Error('Request aborted'), controller.signal)).toBe(reason);
  });
});

describe('bedrockStreamExceptionError', () => {
  it.each([
    ['throttlingException', 429, true],
    ['modelStreamErrorException', 424, false],
    ['validationException', 400, false],
    ['internalServerException', 500, true],
    ['serviceUnavailableException', 503, true],
  ])('maps the %s event to %i (retryable: %s)', (member, status, retryable) => {
    const error = bedrockStreamExceptionError(member, 'details');
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe(member.charAt(0).toUpperCase() + member.slice(1));
    expect(error.message).toBe('details');
  });
});
