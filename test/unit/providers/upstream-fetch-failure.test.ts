import { describe, expect, it } from 'vitest';
import { BadGatewayError, RequestTimeoutError } from '../../../shared/src/core/gateway-error.ts';
import { isRefusedRedirect, upstreamFetchFailure } from '../../../shared/src/providers/upstream-fetch-failure.ts';

const live = new AbortController().signal;

describe('upstreamFetchFailure', () => {
  it('names a refused redirect as a 502 upstream_redirect without its location', () => {
    const error = new TypeError('fetch failed', { cause: new Error('unexpected redirect') });
    expect(isRefusedRedirect(error)).toBe(true);
    const mapped = upstreamFetchFailure('anthropic', live, error) as BadGatewayError;
    expect(mapped).toBeInstanceOf(BadGatewayError);
    expect(mapped.status).toBe(502);
    expect(mapped.code).toBe('upstream_redirect');
    expect(mapped.message).toBe('anthropic answered with a redirect, which the gateway does not follow.');
  });

  it('reports other network failures as unreachable with their code', () => {
    const error = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }) });
    expect(isRefusedRedirect(error)).toBe(false);
    const mapped = upstreamFetchFailure('google', live, error) as BadGatewayError;
    expect(mapped.code).toBe('upstream_unreachable');
    expect(mapped.message).toBe('Could not reach google (ECONNREFUSED).');
  });

  it("passes the engine's own abort reason on as it is", () => {
    const controller = new AbortController();
    const timeout = new RequestTimeoutError(100);
    controller.abort(timeout);
    expect(upstreamFetchFailure('cohere', controller.signal, new Error('aborted'))).toBe(timeout);
  });
});
