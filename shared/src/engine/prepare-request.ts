import { type Endpoint, JSON_BODY_ENDPOINTS, STREAMABLE_ENDPOINTS } from '../core/endpoint.ts';
import { BadRequestError } from '../core/gateway-error.ts';
import { isJsonObject, type JsonObject } from '../core/json.ts';
import type { PortkeyRequestHeaders } from '../protocol/portkey-request-headers.ts';
import { readRequestBody } from './read-request-body.ts';
import type { RequestAccess } from './request-access.ts';

/** One API request, read and checked, ready for routing. */
export interface PreparedRequest {
  endpoint: Endpoint;
  method: string;
  /** Path below /v1. */
  path: string;
  /** The caller's full path, for `url.pathname` conditions. */
  pathname: string;
  search: string;
  headers: Headers;
  portkey: PortkeyRequestHeaders;
  json: JsonObject | undefined;
  rawBody: Uint8Array | undefined;
  contentType: string | undefined;
  stream: boolean;
  /** Who is calling; set by the authenticate step before routing. */
  access?: RequestAccess;
}

const decoder = new TextDecoder();

function parseJsonBody(bytes: Uint8Array): JsonObject {
  if (bytes.byteLength === 0) throw new BadRequestError('The request body is empty; a JSON object is required.', 'invalid_json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(decoder.decode(bytes));
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${error.message}` : '';
    throw new BadRequestError(`The request body is not valid JSON${detail}.`, 'invalid_json');
  }
  if (!isJsonObject(parsed)) throw new BadRequestError('The request body must be a JSON object.', 'invalid_json');
  return parsed;
}

/** Read the body of an API request; every problem becomes a 4xx GatewayError. */
export async function prepareRequest(
  request: Request,
  url: URL,
  endpoint: Endpoint,
  path: string,
  portkey: PortkeyRequestHeaders,
  maxBodyBytes: number,
): Promise<PreparedRequest> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const bytes = hasBody ? await readRequestBody(request, maxBodyBytes) : undefined;
  const json = bytes !== undefined && JSON_BODY_ENDPOINTS.has(endpoint) ? parseJsonBody(bytes) : undefined;
  const stream = json?.stream === true && STREAMABLE_ENDPOINTS.has(endpoint);
  if (json !== undefined && json.stream !== undefined && typeof json.stream !== 'boolean') {
    throw new BadRequestError('`stream` must be a boolean.', 'invalid_type', 'stream');
  }
  return {
    endpoint,
    method: request.method,
    path,
    pathname: url.pathname,
    search: url.search,
    headers: request.headers,
    portkey,
    json,
    rawBody: json === undefined && bytes !== undefined && bytes.byteLength > 0 ? bytes : undefined,
    contentType: request.headers.get('content-type') ?? undefined,
    stream,
  };
}
