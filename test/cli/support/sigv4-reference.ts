import { createHash, createHmac } from 'node:crypto';

/**
 * An independent SigV4 implementation written from AWS's description of the algorithm
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
 * used only to check what the CLI sends. It works from the request as it arrives on the wire,
 * the way a verifying server does, so it also proves the CLI signed what it actually sent.
 */

export interface WireRequest {
  method: string;
  /** Path and query exactly as received, e.g. `/v1/keys?workspace_id=a%20b`. */
  target: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

/** The fields of an `Authorization: AWS4-HMAC-SHA256 …` header, or undefined if it is malformed. */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = AUTHORIZATION.exec(header);
  if (match === null) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** RFC 3986 percent-encoding as SigV4 wants it: only A-Z a-z 0-9 - _ . ~ stay as they are. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** The canonical request of AWS's step 1, for services other than S3 (paths encoded twice). */
export function canonicalRequest(request: WireRequest, signedHeaders: readonly string[], payloadHash: string): string {
  const queryStart = request.target.indexOf('?');
  const wirePath = queryStart === -1 ? request.target : request.target.slice(0, queryStart);
  const wireQuery = queryStart === -1 ? '' : request.target.slice(queryStart + 1);
  const path = wirePath
    .split('/')
    .map((segment) => uriEncode(segment))
    .join('/');
  const pairs = wireQuery === '' ? [] : wireQuery.split('&').map((pair) => {
    const [name = '', value = ''] = pair.split('=');
    return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))] as const;
  });
  pairs.sort(([nameA, valueA], [nameB, valueB]) => (nameA < nameB ? -1 : nameA > nameB ? 1 : valueA < valueB ? -1 : valueA > valueB ? 1 : 0));
  const query = pairs.map(([name, value]) => `${name}=${value}`).join('&');
  const headers = signedHeaders.map((name) => `${name}:${(request.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  return [request.method, path, query, headers, signedHeaders.join(';'), payloadHash].join('\n');
}

/** The signature a server would expect for `request`, given the signer's secret key. */
export function expectedSignature(
  request: WireRequest,
  authorization: ParsedAuthorization,
  secretAccessKey: string,
): string {
  const amzDate = request.headers['x-amz-date'] ?? '';
  const scope = `${authorization.date}/${authorization.region}/${authorization.service}/aws4_request`;
  const canonical = canonicalRequest(request, authorization.signedHeaders, sha256Hex(request.body));
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key = hmac(`AWS4${secretAccessKey}`, authorization.date);
  for (const part of [authorization.region, authorization.service, 'aws4_request']) key = hmac(key, part);
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}
