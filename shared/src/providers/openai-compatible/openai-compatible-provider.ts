import { BadGatewayError } from '../../core/gateway-error.ts';
import type { Endpoint } from '../../core/endpoint.ts';
import { isJsonObject } from '../../core/json.ts';
import { usageFromOpenAI } from '../../core/usage.ts';
import type {
  FetchFunction,
  ProviderModel,
  ProviderRequest,
  ProviderResponse,
  ResolvedTarget,
} from '../provider-model.ts';
import { UPSTREAM_REDIRECT_MODE, upstreamFetchFailure } from '../upstream-fetch-failure.ts';
import { relayOpenAISse } from './openai-sse-relay.ts';
import { prepareUpstreamBody } from './prepare-upstream-body.ts';
import { readUpstreamError, tryParseJson } from './read-upstream-error.ts';
import { copyForwardedHeaders, pickCallerResponseHeaders } from './upstream-headers.ts';

/** One provider that speaks OpenAI's HTTP API: where it lives, how it authenticates, its quirks. */
export interface OpenAICompatibleSpec {
  id: string;
  /** The API root without a trailing slash, such as `https://api.openai.com/v1`. */
  baseUrl(target: ResolvedTarget): string;
  /** Set the provider's credential header(s). */
  authenticate(headers: Headers, target: ResolvedTarget): void;
  requiresApiKey: boolean;
  /** Whether the provider accepts `stream_options.include_usage` (Mistral rejects it with 422). */
  supportsStreamUsage: boolean;
  /**
   * The whole upstream URL, for providers whose URLs are not `base + path + query` (Azure
   * puts the deployment in the path and the API version in the query). Overrides baseUrl.
   */
  resolveUrl?(request: ProviderRequest): string;
}

export interface OpenAICompatibleDependencies {
  fetch: FetchFunction;
  /** Clock for Retry-After dates; Date.now by default. */
  now?: () => number;
}

const utf8 = new TextDecoder();

/** Answers that are whatever bytes the provider chose (audio, files); they pass through untouched. */
const BINARY_ENDPOINTS: ReadonlySet<Endpoint> = new Set(['audio.speech', 'passthrough']);

/** Answers that are JSON by contract; anything else from the provider is a broken answer. */
const JSON_ANSWER_ENDPOINTS: ReadonlySet<Endpoint> = new Set([
  'chat.completions',
  'completions',
  'embeddings',
  'images.generations',
  'models.list',
]);

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function upstreamUrl(spec: OpenAICompatibleSpec, request: ProviderRequest): string {
  if (spec.resolveUrl !== undefined) return spec.resolveUrl(request);
  const base = request.target.customHost ?? spec.baseUrl(request.target);
  return `${withoutTrailingSlash(base)}${request.path}${request.search}`;
}

function acceptHeader(request: ProviderRequest): string {
  if (request.stream) return 'text/event-stream';
  return request.headers.get('accept') ?? (request.body === undefined ? '*/*' : 'application/json');
}

function isEventStream(headers: Headers): boolean {
  return headers.get('content-type')?.toLowerCase().includes('text/event-stream') === true;
}

function isJsonContent(headers: Headers): boolean {
  return headers.get('content-type')?.toLowerCase().includes('json') === true;
}

/**
 * A ProviderModel for one OpenAI-compatible provider. Construction only builds closures, so
 * it is cheap enough to call per request (the mock provider does, with a per-request fetch).
 */
export function createOpenAICompatibleProvider(
  spec: OpenAICompatibleSpec,
  deps: OpenAICompatibleDependencies,
): ProviderModel {
  const now = deps.now ?? Date.now;

  async function call(request: ProviderRequest): Promise<ProviderResponse> {
    const url = upstreamUrl(spec, request);
    const method = request.method.toUpperCase();
    const prepared = prepareUpstreamBody(request, spec.supportsStreamUsage);
    const headers = new Headers();
    // Forwarded first so that nothing the gateway sets itself can be replaced by a caller header.
    copyForwardedHeaders(headers, request);
    if (prepared.contentType !== undefined) headers.set('content-type', prepared.contentType);
    headers.set('accept', acceptHeader(request));
    spec.authenticate(headers, request.target);

    let response: Response;
    try {
      response = await deps.fetch(url, {
        method,
        headers,
        body: method === 'GET' || method === 'HEAD' ? undefined : prepared.body,
        signal: request.signal,
        redirect: UPSTREAM_REDIRECT_MODE,
      });
    } catch (error) {
      throw upstreamFetchFailure(spec.id, request.signal, error);
    }

    if (!response.ok) throw await readUpstreamError(spec.id, response, now());
    const callerHeaders = pickCallerResponseHeaders(response.headers);

    if (request.stream && response.body !== null && isEventStream(response.headers)) {
      const relay = relayOpenAISse(response.body, {
        provider: spec.id,
        stripUsageOnlyChunk: prepared.stripUsageOnlyChunk,
        signal: request.signal,
      });
      return { kind: 'stream', status: response.status, headers: callerHeaders, body: relay.body, outcome: relay.outcome };
    }

    if (BINARY_ENDPOINTS.has(request.endpoint)) {
      return { kind: 'binary', status: response.status, headers: callerHeaders, body: response.body };
    }

    let body: Uint8Array;
    try {
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      throw upstreamFetchFailure(spec.id, request.signal, error);
    }
    const mustBeJson = JSON_ANSWER_ENDPOINTS.has(request.endpoint);
    if (!mustBeJson && !isJsonContent(response.headers)) {
      // Transcriptions in text, srt or vtt format: bytes as they came, no usage to read.
      return { kind: 'complete', status: response.status, headers: callerHeaders, body, usage: undefined };
    }
    const parsed = tryParseJson(utf8.decode(body));
    if (parsed === undefined) {
      throw new BadGatewayError(`${spec.id} answered with a body that is not valid JSON.`, 'invalid_upstream_response');
    }
    const usage = isJsonObject(parsed) ? usageFromOpenAI(parsed.usage) : undefined;
    return { kind: 'complete', status: response.status, headers: callerHeaders, body, usage };
  }

  return { id: spec.id, requiresApiKey: spec.requiresApiKey, call };
}
