import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import { geminiStreamError, readGeminiError, retryDelayFromDetails } from '../../../../shared/src/providers/google/read-gemini-error.ts';
import { fixtureText } from '../../../support/mock-upstream.ts';

const NOW = 1_700_000_000_000;

function answer(status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }): Response {
  return new Response(body, { status, headers });
}

describe('readGeminiError', () => {
  it('keeps a 429 status and message and reads the RetryInfo delay', async () => {
    const error = await readGeminiError(answer(429, fixtureText('google/google-429-retry-info.json')), NOW);
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.status).toBe(429);
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(34_400);
    expect(error.headers).toEqual({ 'retry-after': '35' });
    expect(error.toOpenAIError()).toEqual({
      error: { message: 'You exceeded your current quota, please check your plan.', type: 'rate_limit_error', code: 'RESOURCE_EXHAUSTED', param: null },
    });
  });

  it('prefers a Retry-After header to RetryInfo', async () => {
    const error = await readGeminiError(answer(429, fixtureText('google/google-429-retry-info.json'), { 'retry-after': '2' }), NOW);
    expect(error.retryAfterMs).toBe(2000);
  });

  it.each([
    ['written/google-error-400.json', 400, 'invalid_request_error', 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', false],
    ['written/google-error-401.json', 401, 'authentication_error', 'UNAUTHENTICATED', 'Request had invalid authentication credentials.', false],
    ['written/google-error-500.json', 500, 'api_error', 'INTERNAL', 'An internal error has occurred.', true],
    ['written/google-error-503.json', 503, 'api_error', 'UNAVAILABLE', 'The model is overloaded. Please try again later.', true],
  ] as const)('maps %s to %i keeping the message', async (name, status, type, code, message, retryable) => {
    const error = await readGeminiError(answer(status, fixtureText(`google/${name}`)), NOW);
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(retryable);
    expect(error.retryAfterMs).toBeUndefined();
    expect(error.toOpenAIError().error).toMatchObject({ type, code });
    expect(error.message).toContain(message);
  });

  it('reads the array envelope and answers that are not Google JSON', async () => {
    const wrapped = await readGeminiError(answer(400, `[${fixtureText('google/written/google-error-400.json')}]`), NOW);
    expect(wrapped.message).toBe('API key not valid. Please pass a valid API key.');
    const html = await readGeminiError(answer(529, '<html>Overloaded</html>', { 'content-type': 'text/html' }), NOW);
    expect(html.status).toBe(529);
    expect(html.retryable).toBe(true);
    expect(html.message).toBe('<html>Overloaded</html>');
    const empty = await readGeminiError(answer(502, ''), NOW);
    expect(empty.message).toBe('google answered with HTTP 502 and no message.');
  });
});

describe('geminiStreamError', () => {
  it('uses the error code as the status, 500 when it is not one', () => {
    expect(geminiStreamError({ code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' }).status).toBe(503);
    expect(geminiStreamError({ message: 'broken' }).status).toBe(500);
  });
});

describe('retryDelayFromDetails', () => {
  it('reads protobuf durations and ignores other details', () => {
    expect(retryDelayFromDetails([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '5s' }])).toBe(5000);
    expect(retryDelayFromDetails([{ '@type': 'type.googleapis.com/google.rpc.QuotaFailure' }])).toBeUndefined();
    expect(retryDelayFromDetails([{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: 'soon' }])).toBeUndefined();
  });
});
