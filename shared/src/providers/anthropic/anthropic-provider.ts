import { BadGatewayError, BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import type { Clock } from '../../ports/clock.ts';
import { streamChatCompletionChunks } from '../../protocol/chat-chunk-stream.ts';
import { readSseEvents } from '../../protocol/sse-event-source.ts';
import { tryParseJson } from '../openai-compatible/read-upstream-error.ts';
import type { FetchFunction, ProviderModel, ProviderRequest, ProviderResponse } from '../provider-model.ts';
import { UPSTREAM_REDIRECT_MODE, upstreamFetchFailure } from '../upstream-fetch-failure.ts';
import type { AnthropicMessageResponse } from './anthropic-api-types.ts';
import { ANTHROPIC_API_BASE, WARNINGS_HEADER } from './anthropic-defaults.ts';
import { anthropicRequestHeaders, pickAnthropicResponseHeaders } from './anthropic-request-headers.ts';
import { createAnthropicStreamTransformer } from './anthropic-stream-transformer.ts';
import { ANTHROPIC_PROVIDER_ID, readAnthropicError } from './anthropic-upstream-error.ts';
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts';
import { mapAnthropicModels } from './map-anthropic-models.ts';
import { mapAnthropicResponse } from './map-anthropic-response.ts';

export interface AnthropicProviderDependencies {
  fetch: FetchFunction;
  clock: Clock;
}

const encoder = new TextEncoder();

function apiBase(request: ProviderRequest): string {
  return (request.target.customHost ?? ANTHROPIC_API_BASE).replace(/\/+$/, '');
}

function fetchFailure(signal: AbortSignal, error: unknown): Error {
  return upstreamFetchFailure(ANTHROPIC_PROVIDER_ID, signal, error);
}

function isEventStream(headers: Headers): boolean {
  return headers.get('content-type')?.toLowerCase().includes('text/event-stream') === true;
}

/**
 * The Anthropic provider: OpenAI chat completions (streamed or not) in and out over
 * Anthropic's Messages API, models.list mapped to OpenAI's list, and passthrough of any
 * other `/v1/*` call (the native `/v1/messages` among them) with Anthropic's auth and the
 * bytes relayed unchanged. Anthropic has no embeddings, images, audio or legacy completions.
 */
export function createAnthropicProvider(deps: AnthropicProviderDependencies): ProviderModel {
  async function send(request: ProviderRequest, url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await deps.fetch(url, { ...init, signal: request.signal, redirect: UPSTREAM_REDIRECT_MODE });
    } catch (error) {
      throw fetchFailure(request.signal, error);
    }
    if (!response.ok) throw await readAnthropicError(response, deps.clock.now());
    return response;
  }

  async function readJson(request: ProviderRequest, response: Response): Promise<JsonValue> {
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw fetchFailure(request.signal, error);
    }
    const parsed = tryParseJson(text);
    if (parsed === undefined) throw new BadGatewayError('anthropic answered with a body that is not valid JSON.', 'invalid_upstream_response');
    return parsed;
  }

  async function chat(request: ProviderRequest): Promise<ProviderResponse> {
    if (request.body === undefined) throw new BadRequestError('A JSON body is required.', 'invalid_json');
    const plan = convertToAnthropicRequest(request.body, request.stream);
    const accept = request.stream ? 'text/event-stream' : 'application/json';
    const response = await send(request, `${apiBase(request)}/messages`, {
      method: 'POST',
      headers: anthropicRequestHeaders(request, 'application/json', accept),
      body: JSON.stringify(plan.body),
    });
    const headers = pickAnthropicResponseHeaders(response.headers, false);
    if (plan.warnings.length > 0) headers.set(WARNINGS_HEADER, plan.warnings.join(','));
    const context = { created: Math.floor(deps.clock.now() / 1000), jsonToolName: plan.jsonToolName };

    if (request.stream) {
      if (response.body === null || !isEventStream(response.headers)) {
        await response.body?.cancel().catch(() => undefined);
        throw new BadGatewayError('anthropic did not answer a streaming request with an event stream.', 'invalid_upstream_response');
      }
      const { body, outcome } = streamChatCompletionChunks(readSseEvents(response.body), createAnthropicStreamTransformer(context), {
        provider: ANTHROPIC_PROVIDER_ID,
        includeUsage: plan.includeUsage,
        signal: request.signal,
      });
      return { kind: 'stream', status: 200, headers, body, outcome };
    }

    const native = await readJson(request, response);
    if (!isJsonObject(native) || native.type === 'error') {
      throw new BadGatewayError('anthropic answered with something that is not a message.', 'invalid_upstream_response');
    }
    const mapped = mapAnthropicResponse(native as AnthropicMessageResponse, context);
    headers.set('content-type', 'application/json');
    return { kind: 'complete', status: 200, headers, body: encoder.encode(JSON.stringify(mapped.completion)), usage: mapped.usage };
  }

  async function listModels(request: ProviderRequest): Promise<ProviderResponse> {
    const response = await send(request, `${apiBase(request)}/models${request.search}`, {
      method: 'GET',
      headers: anthropicRequestHeaders(request, undefined, 'application/json'),
    });
    const headers = pickAnthropicResponseHeaders(response.headers, false);
    headers.set('content-type', 'application/json');
    const body = encoder.encode(JSON.stringify(mapAnthropicModels(await readJson(request, response))));
    return { kind: 'complete', status: 200, headers, body, usage: undefined };
  }

  /** Any other Anthropic endpoint, streamed or not: the answer's bytes go back as they arrive. */
  async function passthrough(request: ProviderRequest): Promise<ProviderResponse> {
    const method = request.method.toUpperCase();
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const body = request.rawBody ?? (request.body === undefined ? undefined : encoder.encode(JSON.stringify(request.body)));
    const contentType = request.contentType ?? (request.body === undefined ? undefined : 'application/json');
    const response = await send(request, `${apiBase(request)}${request.path}${request.search}`, {
      method,
      headers: anthropicRequestHeaders(request, hasBody ? contentType : undefined, request.headers.get('accept') ?? '*/*'),
      body: hasBody ? body : undefined,
    });
    return { kind: 'binary', status: response.status, headers: pickAnthropicResponseHeaders(response.headers, true), body: response.body };
  }

  async function call(request: ProviderRequest): Promise<ProviderResponse> {
    switch (request.endpoint) {
      case 'chat.completions':
        return chat(request);
      case 'models.list':
        return listModels(request);
      case 'passthrough':
        return passthrough(request);
      default:
        throw new BadRequestError(`anthropic does not support ${request.endpoint}`, 'unsupported_endpoint');
    }
  }

  return { id: ANTHROPIC_PROVIDER_ID, requiresApiKey: true, call };
}

