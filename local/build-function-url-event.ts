import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FunctionUrlEvent } from '@turnpike/shared/http/function-url-event';

export interface FunctionUrlEventInput {
  request: IncomingMessage;
  body: Buffer;
  requestId: string;
  /** `host:port` the emulator listens on; stands in when the client sent no usable Host. */
  listenAddress: string;
  now: Date;
}

// Hop-by-hop headers end at the function URL's front door and never reach the function.
const hopByHopHeaders = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
]);

const textMediaTypes = new Set([
  'application/json',
  'application/javascript',
  'application/xml',
  'application/x-www-form-urlencoded',
  'application/yaml',
]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Build the payload format 2.0 event the function URL service would send for this request. */
export function buildFunctionUrlEvent(input: FunctionUrlEventInput): FunctionUrlEvent {
  const { request, body, requestId, now } = input;
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
  const rawQueryString = queryStart === -1 ? '' : target.slice(queryStart + 1);

  const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const domainName = usableHost(request.headers.host) ?? input.listenAddress;
  const domainPrefix = domainName.split(/[.:]/)[0] ?? domainName;
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(request.headersDistinct)) {
    if (values === undefined || name === 'cookie' || hopByHopHeaders.has(name)) continue;
    headers[name] = values.join(',');
  }
  headers.host = domainName;
  // The service sets these itself, so whatever the client claimed is replaced.
  headers['x-forwarded-for'] = sourceIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(request.socket.localPort ?? '');
  headers['x-amzn-trace-id'] ??= traceIdFor(now);

  const cookies = (request.headersDistinct.cookie ?? [])
    .flatMap((header) => header.split(';'))
    .map((cookie) => cookie.trim())
    .filter((cookie) => cookie !== '');

  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(rawQueryString === '' ? {} : { queryStringParameters: queryParameters(rawQueryString) }),
    requestContext: {
      accountId: 'anonymous',
      apiId: domainPrefix,
      domainName,
      domainPrefix,
      http: {
        method: request.method ?? 'GET',
        path: rawPath,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: commonLogFormatTime(now),
      timeEpoch: now.getTime(),
    },
    ...encodedBody(body, headers['content-type']),
  };
}

/**
 * Text bodies arrive as plain strings and everything else as base64, as function URLs do.
 * A "text" body that is not valid UTF-8 goes as base64 too, so its bytes survive the trip.
 */
function encodedBody(body: Buffer, contentType: string | undefined): { body?: string; isBase64Encoded: boolean } {
  if (body.length === 0) return { isBase64Encoded: false };
  if (isTextContentType(contentType)) {
    try {
      return { body: utf8.decode(body), isBase64Encoded: false };
    } catch {
      // fall through to base64
    }
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}

function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mediaType = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    mediaType.startsWith('text/') ||
    textMediaTypes.has(mediaType) ||
    mediaType.endsWith('+json') ||
    mediaType.endsWith('+xml')
  );
}

function queryParameters(rawQueryString: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    const previous = parameters[name];
    parameters[name] = previous === undefined ? value : `${previous},${value}`;
  }
  return parameters;
}

function usableHost(host: string | undefined): string | undefined {
  // Anything else would not survive being put into a URL; the real service rejects it earlier.
  return host !== undefined && /^[A-Za-z0-9.\-]+(:\d+)?$|^\[[0-9A-Fa-f:.]+\](:\d+)?$/.test(host) ? host : undefined;
}

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `05/Aug/2022:08:14:39 +0000`, the format of `requestContext.time`. */
function commonLogFormatTime(date: Date): string {
  const twoDigits = (value: number): string => String(value).padStart(2, '0');
  return (
    `${twoDigits(date.getUTCDate())}/${monthNames[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())} +0000`
  );
}

/** An X-Ray style trace id: `Root=1-<epoch seconds in hex>-<96 random bits in hex>`. */
function traceIdFor(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000).toString(16).padStart(8, '0');
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')}`;
}
