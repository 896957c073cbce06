import type { GatewayError } from '../../core/gateway-error.ts';
import type { AnthropicErrorBody, AnthropicErrorType } from './anthropic-messages-types.ts';

const TYPE_BY_STATUS: ReadonlyMap<number, AnthropicErrorType> = new Map([
  [400, 'invalid_request_error'],
  [401, 'authentication_error'],
  [402, 'billing_error'],
  [403, 'permission_error'],
  [404, 'not_found_error'],
  [408, 'timeout_error'],
  [413, 'request_too_large'],
  [429, 'rate_limit_error'],
  [504, 'timeout_error'],
  // Anthropic's own "overloaded" status; Anthropic's SDKs retry it like a 5xx.
  [529, 'overloaded_error'],
]);

const ANTHROPIC_ERROR_TYPES: ReadonlySet<string> = new Set<AnthropicErrorType>([
  'invalid_request_error',
  'authentication_error',
  'billing_error',
  'permission_error',
  'not_found_error',
  'request_too_large',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'overloaded_error',
]);

/**
 * Anthropic's error type for an HTTP status, as its API documents them: 4xx without their
 * own type are `invalid_request_error`, 5xx are `api_error`. Without a status (an error that
 * arrived inside a stream) an OpenAI-shaped error's `type` is kept when Anthropic knows it.
 */
export function anthropicErrorType(status: number | undefined, type?: string): AnthropicErrorType {
  if (status !== undefined) {
    const known = TYPE_BY_STATUS.get(status);
    if (known !== undefined) return known;
    if (status >= 400 && status < 500) return 'invalid_request_error';
    return 'api_error';
  }
  return type !== undefined && ANTHROPIC_ERROR_TYPES.has(type) ? (type as AnthropicErrorType) : 'api_error';
}

/** A gateway error in Anthropic's error shape, keeping its message (and so the provider's). */
export function anthropicErrorBody(error: GatewayError): AnthropicErrorBody {
  return { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } };
}
