import { AuthenticationError, BadGatewayError, UpstreamError } from '../../core/gateway-error.ts';

const PROVIDER = 'bedrock';

/**
 * HTTP statuses for Bedrock's exceptions, by lower-cased name (the SDK throws
 * `ThrottlingException`, the ConverseStream union names the same thing `throttlingException`).
 * Mostly the statuses AWS documents for each exception, so the status the caller sees is the
 * one Bedrock meant. Two deliberate choices:
 * - ModelErrorException and ModelStreamErrorException stay 424 (AWS's status: the model
 *   failed, not the service) rather than becoming a generic 502.
 * - ServiceQuotaExceededException and ModelNotReadyException read as 429: both mean "not
 *   now, not here", and 429 lets retries and fallbacks move on to another target.
 * Exceptions arriving inside a stream carry no HTTP status at all, so the name is the key.
 * https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_Converse.html#API_runtime_Converse_Errors
 */
const EXCEPTION_STATUS: Readonly<Record<string, number>> = {
  validationexception: 400,
  accessdeniedexception: 403,
  unrecognizedclientexception: 403,
  resourcenotfoundexception: 404,
  modeltimeoutexception: 408,
  conflictexception: 409,
  modelerrorexception: 424,
  modelstreamerrorexception: 424,
  throttlingexception: 429,
  servicequotaexceededexception: 429,
  modelnotreadyexception: 429,
  internalserverexception: 500,
  serviceunavailableexception: 503,
};

/** The exception members of the ConverseStream event union. */
export const STREAM_EXCEPTION_MEMBERS = [
  'internalServerException',
  'modelStreamErrorException',
  'validationException',
  'throttlingException',
  'serviceUnavailableException',
] as const;

function errorType(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 408:
      return 'timeout_error';
    case 429:
      return 'rate_limit_error';
    default:
      return 'api_error';
  }
}

/** `throttlingException` → `ThrottlingException`, the name AWS documents. */
function exceptionName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** An UpstreamError for one named Bedrock exception, keeping Bedrock's message. */
export function bedrockExceptionError(name: string, message: string | undefined, status: number, requestId?: string): UpstreamError {
  const code = exceptionName(name);
  return new UpstreamError({
    provider: PROVIDER,
    status,
    body: {
      error: {
        message: message === undefined || message === '' ? `Bedrock answered with ${code}.` : message,
        type: errorType(status),
        code,
        param: null,
      },
    },
    headers: requestId === undefined ? {} : { 'x-amzn-requestid': requestId },
  });
}

/** The error for an exception event inside a ConverseStream (`{ throttlingException: {...} }`). */
export function bedrockStreamExceptionError(name: string, message: string | undefined): UpstreamError {
  return bedrockExceptionError(name, message, EXCEPTION_STATUS[name.toLowerCase()] ?? 502);
}

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/**
 * Map whatever the SDK threw (from `send()` or while reading a stream) to a GatewayError:
 * the engine's own abort reason (timeout, caller gone) goes on as it is; a Bedrock exception
 * keeps its status and message; missing credentials are a 401; anything else means Bedrock
 * could not be reached or its answer could not be read.
 */
export function mapBedrockSdkError(error: unknown, signal: AbortSignal): Error {
  if (signal.aborted && signal.reason instanceof Error) return signal.reason;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const name = typeof shape.name === 'string' ? shape.name : '';
  const message = typeof shape.message === 'string' ? shape.message : undefined;
  const httpStatus = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : undefined;
  const requestId = typeof shape.$metadata?.requestId === 'string' ? shape.$metadata.requestId : undefined;
  const knownStatus = EXCEPTION_STATUS[name.toLowerCase()];
  if (knownStatus !== undefined) return bedrockExceptionError(name, message, knownStatus, requestId);
  if (shape.$fault !== undefined && httpStatus !== undefined && httpStatus >= 400) {
    return bedrockExceptionError(name === '' ? 'UnknownError' : name, message, httpStatus, requestId);
  }
  if (name === 'CredentialsProviderError') {
    return new AuthenticationError(
      'No AWS credentials for Bedrock: give the gateway an IAM role, or send aws_access_key_id and aws_secret_access_key.',
      'missing_provider_credentials',
    );
  }
  if (httpStatus !== undefined && httpStatus < 300) {
    return new BadGatewayError('Bedrock answered with a body the gateway cannot read.', 'invalid_upstream_response', error);
  }
  const networkCode = typeof shape.code === 'string' ? ` (${shape.code})` : '';
  return new BadGatewayError(`Could not reach Bedrock${networkCode}.`, 'upstream_unreachable', error);
}
