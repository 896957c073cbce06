import { CompleteRequest } from '../engine/complete-response.ts';

/**
 * The event a Lambda function URL sends to its function: payload format 2.0, the same shape
 * as an API Gateway HTTP API event, with sentinel values for the API Gateway-only fields.
 * https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
 */
export interface FunctionUrlEvent {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  /** The query string without its leading `?`; empty when there is none. */
  rawQueryString: string;
  /** The `cookie` header split into its pairs; the header itself is removed from `headers`. */
  cookies?: string[];
  /** Lower-case names; repeated headers are joined with commas. */
  headers: Record<string, string>;
  /** Repeated parameters are joined with commas. Absent when there is no query string. */
  queryStringParameters?: Record<string, string>;
  requestContext: FunctionUrlRequestContext;
  body?: string;
  isBase64Encoded: boolean;
}

export interface FunctionUrlRequestContext {
  /** `anonymous` when the URL's auth type is NONE. */
  accountId: string;
  /** The URL id, the first label of the domain name. */
  apiId: string;
  domainName: string;
  domainPrefix: string;
  http: {
    method: string;
    path: string;
    protocol: string;
    sourceIp: string;
    userAgent: string;
  };
  requestId: string;
  routeKey: string;
  stage: string;
  /** CLF-style time, e.g. `05/Aug/2022:08:14:39 +0000`. */
  time: string;
  timeEpoch: number;
  /** Present only on a URL with AWS_IAM auth: who signed the request. */
  authorizer?: {
    iam?: FunctionUrlIamAuthorizer;
  };
}

export interface FunctionUrlIamAuthorizer {
  accessKey?: string;
  accountId?: string;
  callerId?: string;
  cognitoIdentity?: { amr: string[]; identityId: string; identityPoolId: string } | null;
  principalOrgId?: string | null;
  userArn?: string;
  userId?: string;
}

const methodsWithoutBody = new Set(['GET', 'HEAD']);

/** Turn a function URL event into the web-standard request the engine understands. */
export function requestFromFunctionUrlEvent(event: FunctionUrlEvent): Request {
  const method = event.requestContext.http.method.toUpperCase();
  // The event's header record goes to Request as it is: copying it into a Headers first would
  // validate every header twice.
  const headers =
    event.cookies !== undefined && event.cookies.length > 0 ? { ...event.headers, cookie: event.cookies.join('; ') } : event.headers;
  const body = methodsWithoutBody.has(method) ? undefined : requestBody(event);
  // The event holds the whole body: the engine takes it as it is, with no stream in between.
  return new CompleteRequest(urlOfEvent(event), { method, headers }, body);
}

/**
 * The IAM principal that signed the request, when the URL uses AWS_IAM auth. Lambda fills this
 * in after checking the SigV4 signature, so unlike any header it cannot be forged by the caller.
 */
export function iamPrincipalFromFunctionUrlEvent(event: FunctionUrlEvent): string | undefined {
  const arn = event.requestContext.authorizer?.iam?.userArn;
  return arn === undefined || arn === '' ? undefined : arn;
}

function urlOfEvent(event: FunctionUrlEvent): string {
  // Lambda always sets x-forwarded-proto itself; the local emulator says `http` so that the URLs
  // the engine sees match the ones the caller used.
  const forwardedProtocol = event.headers['x-forwarded-proto'];
  const scheme = forwardedProtocol === 'http' ? 'http' : 'https';
  const query = event.rawQueryString === '' ? '' : `?${event.rawQueryString}`;
  return `${scheme}://${event.requestContext.domainName}${event.rawPath}${query}`;
}

function requestBody(event: FunctionUrlEvent): Uint8Array | string | undefined {
  if (event.body === undefined || event.body === '') return undefined;
  if (!event.isBase64Encoded) return event.body;
  const buffer = Buffer.from(event.body, 'base64');
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
