import type { Usage } from './usage.ts';

/**
 * The one error family. Every failure the gateway reports to a caller is a GatewayError,
 * which knows its HTTP status and how to render itself in OpenAI's error shape.
 */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    code: string | null;
    param: string | null;
  };
}

export interface GatewayErrorOptions {
  status: number;
  type: string;
  code: string;
  param?: string | null;
  /** Whether a retry or a fallback target may succeed where this attempt failed. */
  retryable?: boolean;
  /** Extra response headers (Retry-After and the like). */
  headers?: Record<string, string>;
  /** What the failed call still cost: an answer that was produced and then refused. */
  usage?: Usage | undefined;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;
  readonly retryable: boolean;
  readonly headers: Record<string, string>;
  readonly usage: Usage | undefined;

  constructor(message: string, options: GatewayErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = options.status;
    this.type = options.type;
    this.code = options.code;
    this.param = options.param ?? null;
    this.retryable = options.retryable ?? isRetryableStatus(options.status);
    this.headers = options.headers ?? {};
    this.usage = options.usage;
  }

  toOpenAIError(): OpenAIErrorBody {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }
}

/** 408, 409, 429 and 5xx are worth another try; other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

export class BadRequestError extends GatewayError {
  constructor(message: string, code = 'invalid_request', param: string | null = null) {
    super(message, { status: 400, type: 'invalid_request_error', code, param });
  }
}

export class InvalidConfigError extends GatewayError {
  constructor(message: string, param: string | null = null) {
    super(message, { status: 400, type: 'invalid_request_error', code: 'invalid_config', param });
  }
}

export class AuthenticationError extends GatewayError {
  constructor(message: string, code = 'invalid_api_key') {
    super(message, { status: 401, type: 'authentication_error', code });
  }
}

export class PermissionDeniedError extends GatewayError {
  constructor(message: string, code = 'permission_denied') {
    super(message, { status: 403, type: 'permission_error', code });
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string, code = 'not_found') {
    super(message, { status: 404, type: 'not_found_error', code });
  }
}

export class MethodNotAllowedError extends GatewayError {
  constructor(method: string, path: string, allowed: readonly string[]) {
    super(`Method ${method} is not allowed on ${path}.`, {
      status: 405,
      type: 'invalid_request_error',
      code: 'method_not_allowed',
      headers: { allow: allowed.join(', ') },
    });
  }
}

export class RequestTimeoutError extends GatewayError {
  constructor(timeoutMs: number) {
    super(`The request to the provider timed out after ${timeoutMs} ms.`, {
      status: 408,
      type: 'timeout_error',
      code: 'request_timeout',
    });
  }
}

export class PayloadTooLargeError extends GatewayError {
  constructor(limitBytes: number) {
    super(`The request body exceeds the limit of ${limitBytes} bytes.`, {
      status: 413,
      type: 'invalid_request_error',
      code: 'request_too_large',
    });
  }
}

export class UnsupportedMediaTypeError extends GatewayError {
  constructor(expected: string, received: string | null) {
    super(`Expected a body of type ${expected}, received ${received ?? 'none'}.`, {
      status: 415,
      type: 'invalid_request_error',
      code: 'unsupported_media_type',
    });
  }
}

/** The gateway itself cannot reach a provider or cannot read its answer. */
export class BadGatewayError extends GatewayError {
  constructor(message: string, code = 'bad_gateway', cause?: unknown) {
    super(message, { status: 502, type: 'api_error', code, cause });
  }
}

export class InternalGatewayError extends GatewayError {
  constructor(message = 'The gateway failed to handle the request.', cause?: unknown) {
    super(message, { status: 500, type: 'api_error', code: 'internal_error', cause, retryable: false });
  }
}

/**
 * An error answer from a provider. Status and message are the provider's own so callers see
 * what the provider said; `retryAfterMs` carries its Retry-After hint for the retry loop.
 */
export class UpstreamError extends GatewayError {
  readonly provider: string;
  readonly retryAfterMs: number | undefined;
  /** The provider's error body, already in OpenAI's shape, to send on unchanged. */
  readonly body: OpenAIErrorBody;

  constructor(input: {
    provider: string;
    status: number;
    body: OpenAIErrorBody;
    retryAfterMs?: number | undefined;
    headers?: Record<string, string>;
  }) {
    super(input.body.error.message, {
      status: input.status,
      type: input.body.error.type,
      code: input.body.error.code ?? 'upstream_error',
      param: input.body.error.param,
      headers: input.headers ?? {},
    });
    this.provider = input.provider;
    this.retryAfterMs = input.retryAfterMs;
    this.body = input.body;
  }

  override toOpenAIError(): OpenAIErrorBody {
    return this.body;
  }
}

/** Normalise anything thrown into a GatewayError without leaking internals to the caller. */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new InternalGatewayError(undefined, error);
}

/** The caller went away before the answer was complete (nginx's 499): nothing more is tried. */
export class ClientClosedRequestError extends GatewayError {
  constructor() {
    super('The client closed the request.', { status: 499, type: 'api_error', code: 'client_closed_request', retryable: false });
  }
}
