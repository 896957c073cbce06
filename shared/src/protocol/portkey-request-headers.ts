import { BadRequestError } from '../core/gateway-error.ts';

/** Gateway keys carry this prefix, so a Bearer token can be told apart from a provider key. */
export const GATEWAY_KEY_PREFIX = 'tpk_';

/** Headers that name provider settings, mapped to the Config field each one stands for. */
const PROVIDER_OPTION_HEADERS: ReadonlyArray<readonly [header: string, option: string]> = [
  ['x-portkey-azure-resource-name', 'resource_name'],
  ['x-portkey-azure-deployment-id', 'deployment_id'],
  ['x-portkey-azure-api-version', 'api_version'],
  ['x-portkey-azure-auth-mode', 'azure_auth_mode'],
  ['x-portkey-aws-region', 'aws_region'],
  ['x-portkey-aws-access-key-id', 'aws_access_key_id'],
  ['x-portkey-aws-secret-access-key', 'aws_secret_access_key'],
  ['x-portkey-aws-session-token', 'aws_session_token'],
  ['x-portkey-workers-ai-account-id', 'workers_ai_account_id'],
  ['x-portkey-anthropic-version', 'anthropic_version'],
  ['x-portkey-anthropic-beta', 'anthropic_beta'],
];

/** What a request says about itself through `x-portkey-*` and `Authorization` headers. */
export interface PortkeyRequestHeaders {
  provider: string | undefined;
  /** The raw `x-portkey-config` value: a JSON Config or the id of a saved one. */
  config: string | undefined;
  virtualKey: string | undefined;
  /** A Turnpike gateway key, from `x-portkey-api-key` or a prefixed Bearer token (or x-api-key). */
  gatewayApiKey: string | undefined;
  /** The caller's own provider key ("bring your own key"), from a Bearer token or x-api-key. */
  providerApiKey: string | undefined;
  traceId: string | undefined;
  /** Portkey's span headers: a tree of spans inside the trace, recorded in the request log. */
  spanId: string | undefined;
  parentSpanId: string | undefined;
  spanName: string | undefined;
  metadata: Record<string, string>;
  cacheForceRefresh: boolean;
  requestTimeoutMs: number | undefined;
  forwardHeaders: string[];
  customHost: string | undefined;
  providerOptions: Record<string, string>;
}

const MAX_TRACE_ID_LENGTH = 128;
const MAX_SPAN_NAME_LENGTH = 256;
const MAX_METADATA_BYTES = 4096;

function nonEmpty(value: string | null): string | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parseMetadata(raw: string | undefined): Record<string, string> {
  if (raw === undefined) return {};
  if (raw.length > MAX_METADATA_BYTES) {
    throw new BadRequestError(`x-portkey-metadata must be at most ${MAX_METADATA_BYTES} bytes.`, 'invalid_metadata', 'x-portkey-metadata');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new BadRequestError('x-portkey-metadata must be a JSON object of strings.', 'invalid_metadata', 'x-portkey-metadata');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BadRequestError('x-portkey-metadata must be a JSON object of strings.', 'invalid_metadata', 'x-portkey-metadata');
  }
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    // Numbers and booleans are kept as their text, as Portkey does; nested values are refused.
    if (typeof value === 'string') metadata[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') metadata[key] = String(value);
    else if (value !== null) {
      throw new BadRequestError(`x-portkey-metadata.${key} must be a string.`, 'invalid_metadata', 'x-portkey-metadata');
    }
  }
  return metadata;
}

function parseTimeout(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new BadRequestError('x-portkey-request-timeout must be a positive whole number of milliseconds.', 'invalid_request_timeout', 'x-portkey-request-timeout');
  }
  return value;
}

const TRACE_ID_PATTERN = /^[\w.:/@-]+$/;

function parseTraceId(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (raw.length > MAX_TRACE_ID_LENGTH || !TRACE_ID_PATTERN.test(raw)) {
    throw new BadRequestError(
      `x-portkey-trace-id must be at most ${MAX_TRACE_ID_LENGTH} characters of letters, digits and . _ - : / @.`,
      'invalid_trace_id',
      'x-portkey-trace-id',
    );
  }
  return raw;
}

// Span headers only label the request log, so a malformed one is dropped rather than refused.
function parseSpanId(raw: string | undefined): string | undefined {
  return raw !== undefined && raw.length <= MAX_TRACE_ID_LENGTH && TRACE_ID_PATTERN.test(raw) ? raw : undefined;
}

function parseSpanName(raw: string | undefined): string | undefined {
  // Free text, stored and shown as is: control characters go, and the length is bounded.
  const name = raw?.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, MAX_SPAN_NAME_LENGTH);
  return name === '' ? undefined : name;
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(authorization);
  return match?.[1]?.trim() || undefined;
}

/**
 * Read the Portkey protocol headers of one request. Unknown `x-portkey-*` headers are
 * ignored: the Portkey SDKs send several that only the hosted product understands.
 */
export function parsePortkeyRequestHeaders(headers: Headers): PortkeyRequestHeaders {
  const portkeyKey = nonEmpty(headers.get('x-portkey-api-key'));
  // Anthropic's SDKs send their key as x-api-key; it counts like a Bearer token.
  const bearer = bearerToken(nonEmpty(headers.get('authorization'))) ?? nonEmpty(headers.get('x-api-key'));
  const bearerIsGatewayKey = bearer?.startsWith(GATEWAY_KEY_PREFIX) === true;

  const providerOptions: Record<string, string> = {};
  for (const [header, option] of PROVIDER_OPTION_HEADERS) {
    const value = nonEmpty(headers.get(header));
    if (value !== undefined) providerOptions[option] = value;
  }

  const forwardHeaders = nonEmpty(headers.get('x-portkey-forward-headers'));
  return {
    provider: nonEmpty(headers.get('x-portkey-provider')),
    config: nonEmpty(headers.get('x-portkey-config')),
    virtualKey: nonEmpty(headers.get('x-portkey-virtual-key')),
    gatewayApiKey: portkeyKey ?? (bearerIsGatewayKey ? bearer : undefined),
    providerApiKey: bearerIsGatewayKey ? undefined : bearer,
    traceId: parseTraceId(nonEmpty(headers.get('x-portkey-trace-id'))),
    spanId: parseSpanId(nonEmpty(headers.get('x-portkey-span-id'))),
    parentSpanId: parseSpanId(nonEmpty(headers.get('x-portkey-parent-span-id'))),
    spanName: parseSpanName(nonEmpty(headers.get('x-portkey-span-name'))),
    metadata: parseMetadata(nonEmpty(headers.get('x-portkey-metadata'))),
    cacheForceRefresh: nonEmpty(headers.get('x-portkey-cache-force-refresh'))?.toLowerCase() === 'true',
    requestTimeoutMs: parseTimeout(nonEmpty(headers.get('x-portkey-request-timeout'))),
    forwardHeaders: forwardHeaders === undefined ? [] : forwardHeaders.split(',').map((name) => name.trim().toLowerCase()).filter(Boolean),
    customHost: nonEmpty(headers.get('x-portkey-custom-host')),
    providerOptions,
  };
}
