import { Agent as HttpAgent, type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { IncomingMessageResponse, type ResponseBodySource } from './incoming-message-response.ts';

/** `fetch` as the providers call it. */
export type NodeHttpFetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface NodeHttpFetchOptions {
  /** How long an idle pooled connection is kept; a server's shorter Keep-Alive hint wins. @default 4_000 (undici's) */
  keepAliveMs?: number;
  /** Longest silence from the server, waiting for the head or between body chunks. @default 300_000 (undici's) */
  idleTimeoutMs?: number;
  /** Used for what this transport does not do itself (redirects to follow, streamed or form bodies). @default globalThis.fetch */
  fallback?: NodeHttpFetch;
  /**
   * The addresses a host name is pinned to for the current call (a caller-supplied host the
   * SSRF guard checked): connections to it go to those addresses without a new DNS look-up,
   * over pools of their own. @default nothing pinned
   */
  pinnedAddresses?: (hostname: string) => readonly string[] | undefined;
}

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);
const RETRYABLE_ON_REUSED_SOCKET: ReadonlySet<string> = new Set(['ECONNRESET', 'EPIPE']);

type BodyBytes = string | Uint8Array | undefined;

/** The body as bytes node:http can send, or 'unsupported' for what only fetch handles. */
function bodyBytes(body: RequestInit['body']): BodyBytes | 'unsupported' {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  return 'unsupported';
}

/** Wrapped like fetch's own failures (TypeError "fetch failed", the cause holding the code), which providers read. */
function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * The request head as a flat `[name, value, ...]` list, Host included: node:http then writes it
 * as given, skipping its per-header bookkeeping (which costs more than the rest of the call).
 */
function outgoingHeaders(url: URL, init: RequestInit['headers'], body: BodyBytes, method: string): string[] {
  const given = init instanceof Headers ? init : new Headers(init);
  const list: string[] = ['host', url.host];
  given.forEach((value, name) => {
    if (name !== 'host' && name !== 'content-length') list.push(name, value);
  });
  // The defaults fetch adds, so an upstream sees the same request whichever transport sent it.
  if (!given.has('accept')) list.push('accept', '*/*');
  if (!given.has('user-agent')) list.push('user-agent', 'node');
  if (typeof body === 'string') {
    if (!given.has('content-type')) list.push('content-type', 'text/plain;charset=UTF-8');
    list.push('content-length', String(Buffer.byteLength(body)));
  } else if (body !== undefined) {
    list.push('content-length', String(body.byteLength));
  } else if (method === 'POST' || method === 'PUT') {
    list.push('content-length', '0');
  }
  return list;
}

/** The decoders fetch applies for Content-Encoding, outermost last; undefined for identity or unknown codings. */
function decoders(contentEncoding: string | undefined): Readable[] | undefined {
  if (contentEncoding === undefined || contentEncoding === '' || contentEncoding === 'identity') return undefined;
  const codings = contentEncoding.toLowerCase().split(',').map((coding) => coding.trim()).reverse();
  const chain: Readable[] = [];
  for (const coding of codings) {
    if (coding === 'gzip' || coding === 'x-gzip') chain.push(createGunzip());
    else if (coding === 'deflate') chain.push(createInflate());
    else if (coding === 'br') chain.push(createBrotliDecompress());
    // An unknown coding: fetch hands the bytes over as they are, and so does this.
    else return undefined;
  }
  return chain;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for node:net that answers with the pinned addresses only, as `dns.lookup` would shape them. */
function pinnedLookup(addresses: readonly string[]) {
  const answers: LookupAddress[] = addresses.map((address) => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  return (_hostname: string, options: { all?: boolean; family?: number | string } | number, callback: LookupCallback): void => {
    const wanted = typeof options === 'object' ? Number(options.family ?? 0) : options;
    const usable = wanted === 4 || wanted === 6 ? answers.filter((answer) => answer.family === wanted) : answers;
    const first = usable[0];
    if (first === undefined) {
      callback(codedError('No pinned address of the requested family.', 'ENOTFOUND'), '');
      return;
    }
    if (typeof options === 'object' && options.all === true) callback(null, usable);
    else callback(null, first.address, first.family);
  };
}

/** A form, blob or search-params body as the bytes and content type fetch would send. */
async function serializedBody(init: RequestInit): Promise<RequestInit> {
  const encoded = new Response(init.body);
  const headers = new Headers(init.headers);
  const contentType = encoded.headers.get('content-type');
  if (contentType !== null && !headers.has('content-type')) headers.set('content-type', contentType);
  return { ...init, headers, body: new Uint8Array(await encoded.arrayBuffer()) };
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    // fetch itself reports the bad URL.
    return null;
  }
}

/** The answer's headers as name/value pairs, repeated names kept, for Response to take in one go. */
function responseHeaderPairs(message: IncomingMessage): [string, string][] {
  const raw = message.rawHeaders;
  const pairs: [string, string][] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) pairs.push([raw[index] as string, raw[index + 1] as string]);
  return pairs;
}

/** The same headers one by one, without any that fetch would refuse. */
function validResponseHeaders(message: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of responseHeaderPairs(message)) {
    try {
      headers.append(name, value);
    } catch {
      // left out
    }
  }
  return headers;
}

/**
 * A `fetch` for upstream calls over node:http(s) with keep-alive pools. Node's built-in fetch
 * (undici) costs about three times the CPU per call of node:http on a small machine, most of it
 * in building and tearing down web streams, signals and request copies; on a gateway that is
 * most of its own work. This implements what the providers use: string and byte bodies,
 * `redirect: 'error' | 'manual'`, `signal`, decoded Content-Encoding, and fetch's failure shape
 * (`TypeError('fetch failed')` whose `cause` carries the network error code). Anything else
 * (a Request object, `redirect: 'follow'`, stream or form bodies, other schemes) goes to
 * `fallback`. A request that fails because a pooled connection turned out closed is sent once
 * more on a fresh one, as Node's documentation recommends.
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): NodeHttpFetch {
  const keepAliveMs = options.keepAliveMs ?? 4_000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 300_000;
  const fallback = options.fallback ?? ((input, init) => globalThis.fetch(input, init));
  const agentOptions = { keepAlive: true, timeout: keepAliveMs };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  // Pinned connections never share a pool with unpinned ones to the same name, whose
  // addresses came from a DNS answer nobody checked.
  const pinnedHttpAgent = new HttpAgent(agentOptions);
  const pinnedHttpsAgent = new HttpsAgent(agentOptions);

  return function nodeHttpFetch(input: string | URL, init: RequestInit = {}): Promise<Response> {
    const url = typeof input === 'string' ? parseUrl(input) : input instanceof URL ? input : null;
    const body = bodyBytes(init.body);
    const redirect = init.redirect ?? 'follow';
    const pinned = url === null ? undefined : options.pinnedAddresses?.(url.hostname);
    if (pinned !== undefined && url !== null) {
      // The fallback would resolve the name again: a pinned call stays on this transport.
      if (body === 'unsupported') {
        if (init.body instanceof ReadableStream) return Promise.reject(fetchFailed(new Error('A pinned host cannot take a streamed body.')));
        return serializedBody(init).then((serialized) => nodeHttpFetch(url, serialized));
      }
      if (redirect === 'follow') return Promise.reject(fetchFailed(new Error('Redirects from a caller-supplied host are not followed.')));
    }
    if (
      url === null ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      // Credentials in the URL (which fetch refuses) need an '@'; reading them is slow in Node 20.
      (url.href.includes('@') && (url.username !== '' || url.password !== '')) ||
      redirect === 'follow' ||
      body === 'unsupported'
    ) {
      return fallback(input, init);
    }
    const method = (init.method ?? 'GET').toUpperCase();
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
      return Promise.reject(new TypeError('Request with GET/HEAD method cannot have body.'));
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted === true) return Promise.reject(signal.reason);

    let headers: string[];
    try {
      headers = outgoingHeaders(url, init.headers, body, method);
    } catch (error) {
      return Promise.reject(error);
    }
    const secure = url.protocol === 'https:';
    const requestOptions = {
      method,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers,
      agent: pinned === undefined ? (secure ? httpsAgent : httpAgent) : secure ? pinnedHttpsAgent : pinnedHttpAgent,
      timeout: idleTimeoutMs,
      ...(pinned === undefined ? {} : { lookup: pinnedLookup(pinned) }),
    };
    const send = secure ? httpsRequest : httpRequest;

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      let current: ClientRequest | undefined;
      const fail = (error: unknown): void => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        reject(error);
      };
      const onAbort = (): void => {
        fail(signal?.reason);
        current?.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });

      const attempt = (retried: boolean): void => {
        let request: ClientRequest;
        try {
          request = send(requestOptions);
        } catch (error) {
          fail(error instanceof TypeError ? error : fetchFailed(error));
          return;
        }
        current = request;
        request.on('error', (error: NodeJS.ErrnoException) => {
          if (settled) return;
          if (!retried && request.reusedSocket && RETRYABLE_ON_REUSED_SOCKET.has(error.code ?? '') && signal?.aborted !== true) {
            attempt(true);
            return;
          }
          fail(fetchFailed(error));
        });
        let answered = false;
        request.on('timeout', () => {
          request.destroy(
            answered
              ? codedError('The upstream sent nothing for too long.', 'UND_ERR_BODY_TIMEOUT')
              : codedError('The upstream did not answer in time.', 'UND_ERR_HEADERS_TIMEOUT'),
          );
        });
        request.on('response', (message) => {
          answered = true;
          // A failure after the answer started belongs to the body; without a listener it would crash.
          message.on('error', () => undefined);
          if (settled) {
            request.destroy();
            return;
          }
          const status = message.statusCode ?? 0;
          if (redirect === 'error' && REDIRECT_STATUSES.has(status) && message.headers.location !== undefined) {
            message.resume();
            fail(fetchFailed(new Error('unexpected redirect')));
            return;
          }
          let response: Response;
          try {
            const source = bodySource(request, message, method, status);
            const statusText = message.statusMessage ?? '';
            try {
              // Node's HTTP parser has already refused malformed headers, so this nearly always works.
              response = new IncomingMessageResponse(source, { status, statusText, headers: responseHeaderPairs(message) }, url.href);
            } catch {
              // A reason phrase or a header fetch refuses is dropped rather than failing the answer.
              response = new IncomingMessageResponse(source, { status, headers: validResponseHeaders(message) }, url.href);
            }
          } catch (error) {
            request.destroy();
            fail(fetchFailed(error));
            return;
          }
          settled = true;
          // From here the body owns the signal: aborting fails the body, not the (settled) call.
          signal?.removeEventListener('abort', onAbort);
          resolve(response);
        });
        request.end(body);
      };

      const bodySource = (request: ClientRequest, message: IncomingMessage, requestMethod: string, status: number): ResponseBodySource | undefined => {
        if (requestMethod === 'HEAD' || NULL_BODY_STATUSES.has(status)) {
          message.resume();
          return undefined;
        }
        const destroy = (): void => {
          request.destroy();
        };
        // The caller's abort closes the connection whether or not anyone is reading the body.
        if (signal !== undefined) {
          signal.addEventListener('abort', destroy, { once: true });
          message.once('close', () => signal.removeEventListener('abort', destroy));
        }
        const chain = decoders(message.headers['content-encoding']);
        if (chain === undefined) return { readable: message, message, destroy, signal };
        const last = chain[chain.length - 1] as Readable;
        pipeline([message, ...chain], () => undefined);
        return { readable: last, message, destroy, signal };
      };

      attempt(false);
    });
  };
}
