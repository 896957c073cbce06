import { GatewayError } from '../core/gateway-error.ts';

/** Too many requests or tokens in the current window: 429 with `retry-after` and OpenAI's `x-ratelimit-*` headers. */
export class RateLimitExceededError extends GatewayError {
  constructor(rateLimitId: string, measure: 'requests' | 'tokens', headers: Record<string, string>) {
    super(`Rate limit ${JSON.stringify(rateLimitId)} reached: too many ${measure} per minute. Retry after the window resets.`, {
      status: 429,
      type: 'rate_limit_exceeded',
      code: 'rate_limit_exceeded',
      param: rateLimitId,
      // Another target would count against the same caller's limit; only time helps.
      retryable: false,
      headers,
    });
  }
}
