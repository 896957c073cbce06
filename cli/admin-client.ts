import type { SignatureV4 } from '@smithy/signature-v4';
import { ApiError, CliError } from './cli-error.ts';
import type { AdminSignerOptions } from './sign-admin-request.ts';

/** How requests prove who sends them: the local admin token, or SigV4 for an AWS_IAM function URL. */
export type AdminAuth = { kind: 'token'; token: string | undefined } | ({ kind: 'sigv4' } & AdminSignerOptions);

export interface AdminClientOptions {
  baseUrl: URL;
  auth: AdminAuth;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default 30_000 */
  timeoutMs?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface AdminRequest {
  method: HttpMethod;
  /** Starts with `/`; ids in it already percent-encoded (see `resourcePath`). */
  path: string;
  /** A list value repeats the parameter (`metadata=a:1&metadata=b:2`). */
  query?: Record<string, string | number | readonly string[] | undefined>;
  body?: unknown;
}

/** The admin API's list envelope. */
export interface AdminPage {
  data: unknown[];
  next_cursor: string | null;
}

export interface Paging {
  limit?: number;
  cursor?: string;
  /** Follow `next_cursor` until the last page. */
  all?: boolean;
}

/** A JSON object as the API returns it; fields are read leniently. */
export type ApiRecord = Record<string, unknown>;

/** `/v1/keys/<id>/rotate` with every segment percent-encoded, so an id cannot change the route. */
export function resourcePath(collection: string, id: string, ...rest: string[]): string {
  return [collection, ...[id, ...rest].map((segment) => encodeURIComponent(segment))].join('/');
}

/** A small HTTP client for the admin API that turns every failure into a one-line CliError. */
export class AdminClient {
  readonly #options: AdminClientOptions;
  #signer: SignatureV4 | undefined;

  constructor(options: AdminClientOptions) {
    this.#options = options;
  }

  /** Send one request; resolves to the parsed JSON answer, or undefined for 204. */
  async send(request: AdminRequest): Promise<unknown> {
    const url = this.#url(request);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const sentHeaders = await this.#authorize(request.method, url, headers, body);

    const fetchFunction = this.#options.fetch ?? globalThis.fetch;
    let response: Response;
    let text: string;
    try {
      response = await fetchFunction(url, {
        method: request.method,
        headers: sentHeaders,
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 30_000),
      });
      text = await response.text();
    } catch (error) {
      throw new CliError(`cannot reach ${url.origin}: ${describeFetchFailure(error)}`);
    }
    if (!response.ok) throw this.#apiError(response, text);
    if (text === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CliError(`HTTP ${response.status}: the server answered with something that is not JSON`);
    }
  }

  /** A listing: one page, or every page concatenated when `paging.all` is set. */
  async list(path: string, query: Record<string, string | readonly string[] | undefined>, paging: Paging): Promise<AdminPage> {
    const data: unknown[] = [];
    let cursor = paging.cursor;
    for (;;) {
      const page = asPage(await this.send({ method: 'GET', path, query: { ...query, limit: paging.limit, cursor } }));
      data.push(...page.data);
      if (!paging.all || page.next_cursor === null || page.next_cursor === cursor) {
        return { data, next_cursor: paging.all ? null : page.next_cursor };
      }
      cursor = page.next_cursor;
    }
  }

  #url(request: AdminRequest): URL {
    const base = this.#options.baseUrl;
    const url = new URL(base.href);
    url.pathname = base.pathname.replace(/\/+$/, '') + request.path;
    // Spaces as %20, not URLSearchParams' "+": SigV4 canonicalises the query with
    // RFC 3986 encoding, where "+" would be read as a literal plus sign.
    url.search = Object.entries(request.query ?? {})
      .flatMap(([name, value]) => (value === undefined ? [] : typeof value === 'object' ? value.map((item) => [name, item] as const) : [[name, value] as const]))
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
      .join('&');
    return url;
  }

  async #authorize(
    method: HttpMethod,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<Record<string, string>> {
    const { auth } = this.#options;
    if (auth.kind === 'token') {
      return auth.token === undefined ? headers : { ...headers, authorization: `Bearer ${auth.token}` };
    }
    try {
      // Loaded on first use: the AWS SDK costs a third of a second that token users need not pay.
      const { createAdminSigner, signAdminRequest } = await import('./sign-admin-request.ts');
      this.#signer ??= createAdminSigner(auth);
      return await signAdminRequest(this.#signer, { method, url, headers, body });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CliError(`cannot sign the request with AWS credentials: ${firstLine(reason)}`);
    }
  }

  #apiError(response: Response, text: string): ApiError {
    const { message, code } = readErrorBody(text);
    let reason = `HTTP ${response.status}`;
    reason += message === undefined ? ` ${response.statusText}`.trimEnd() : `: ${message}`;
    if (code !== undefined) reason += ` (${code})`;
    const { auth } = this.#options;
    if (response.status === 401 && auth.kind === 'token' && auth.token === undefined) {
      reason += '; set TURNPIKE_ADMIN_TOKEN or pass --token';
    }
    return new ApiError(response.status, reason, code);
  }
}

/** The OpenAI-shaped error, or the `{"Message"}` Lambda's URL front end answers with. */
function readErrorBody(text: string): { message?: string; code?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const line = firstLine(text).trim();
    return line === '' ? {} : { message: line.slice(0, 200) };
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const record = parsed as ApiRecord;
  const error = typeof record.error === 'object' && record.error !== null ? (record.error as ApiRecord) : record;
  const message = [error.message, error.Message, record.message, record.Message].find(
    (value): value is string => typeof value === 'string',
  );
  const code = typeof error.code === 'string' ? error.code : undefined;
  return { ...(message === undefined ? {} : { message: firstLine(message) }), ...(code === undefined ? {} : { code }) };
}

function asPage(value: unknown): AdminPage {
  if (typeof value === 'object' && value !== null && Array.isArray((value as ApiRecord).data)) {
    const { data, next_cursor: next } = value as { data: unknown[]; next_cursor?: unknown };
    return { data, next_cursor: typeof next === 'string' && next !== '' ? next : null };
  }
  throw new CliError('the server answered a listing without a "data" array');
}

/** fetch's TypeError says only "fetch failed"; the useful part is in `cause`. */
function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within the time limit';
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const message = firstLine(cause.message);
    return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  }
  return error instanceof Error ? firstLine(error.message) : String(error);
}

function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? '';
}
