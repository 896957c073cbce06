import { randomFillSync } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FunctionUrlEvent } from '@turnpike/shared/http/function-url-event';

export interface FunctionUrlEventInput {
  request: IncomingMessage;
  body: Buffer;
  requestId: string;
  /** `host:port` the emulator listens on; stands in when the client sent no usable Host. */
  listenAddress: string;
  /** The port the client connected to (asking the socket would cost a system call per request). */
  listenPort: number;
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
  const cookies: string[] = [];
  // rawHeaders, not headersDistinct: the same names and values without building an array per header.
  const raw = request.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = (raw[index] as string).toLowerCase();
    const value = raw[index + 1] as string;
    if (name === 'cookie') {
      for (const cookie of value.split(';')) if (cookie.trim() !== '') cookies.push(cookie.trim());
    } else if (!hopByHopHeaders.has(name)) {
      const previous = headers[name];
      headers[name] = previous === undefined ? value : `${previous},${value}`;
    }
  }
  headers.host = domainName;
  // The service sets these itself, so whatever the client claimed is replaced.
  headers['x-forwarded-for'] = sourceIp;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-port'] = String(input.listenPort);
  headers['x-amzn-trace-id'] ??= traceIdFor(now);

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

const TRACE_RANDOM_BYTES = 12;
// Random bytes for trace ids, fetched 256 ids at a time: one call into the CSPRNG per request
// costs more than the rest of the id.
const randomPool = Buffer.alloc(TRACE_RANDOM_BYTES * 256);
let randomPoolOffset = randomPool.length;

/** An X-Ray style trace id: `Root=1-<epoch seconds in hex>-<96 random bits in hex>`. */
function traceIdFor(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000).toString(16).padStart(8, '0');
  if (randomPoolOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomPoolOffset = 0;
  }
  const random = randomPool.toString('hex', randomPoolOffset, randomPoolOffset + TRACE_RANDOM_BYTES);
  randomPoolOffset += TRACE_RANDOM_BYTES;
  return `Root=1-${seconds}-${random}`;
}
