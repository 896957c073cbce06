import { BadGatewayError, BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';
import { streamChatCompletionChunks } from '../../protocol/chat-chunk-stream.ts';
import { readSseEvents } from '../../protocol/sse-event-source.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FetchFunction, ProviderModel, ProviderRequest, ProviderResponse } from '../provider-model.ts';
import { convertChatRequest } from './convert-chat-request.ts';
import { convertEmbeddingRequest, mapEmbeddingResponse } from './gemini-embeddings.ts';
import { createGeminiStreamTransformer } from './gemini-stream-transformer.ts';
import { geminiApiBase, geminiModelUrl } from './gemini-url.ts';
import { answerIdentity, mapGeminiResponse } from './map-gemini-response.ts';
import { mapGeminiModels } from './map-gemini-models.ts';
import { readGeminiJson, sendGeminiRequest, type GeminiSendOptions } from './send-gemini-request.ts';
import type { GeminiGenerateContentResponse } from './gemini-api-types.ts';

const PROVIDER = 'google';

export interface GoogleProviderDependencies {
  fetch: FetchFunction;
  clock: Clock;
  /** Ids for answers Gemini sent without a responseId; random by default. */
  randomKey?: () => string;
}

const encoder = new TextEncoder();

function jsonBody(request: ProviderRequest): JsonObject {
  if (request.body === undefined) throw new BadRequestError('The request needs a JSON body.', 'invalid_request');
  return request.body;
}

/** The answer's headers, naming any dropped parameters in x-turnpike-warnings. */
function answerHeaders(contentType: string, warnings: readonly string[]): Headers {
  const headers = new Headers({ 'content-type': contentType });
  if (warnings.length > 0) headers.set('x-turnpike-warnings', warnings.join(','));
  return headers;
}

function complete(body: unknown, usage: Usage | undefined, warnings: readonly string[]): ProviderResponse {
  return { kind: 'complete', status: 200, headers: answerHeaders('application/json', warnings), body: encoder.encode(JSON.stringify(body)), usage };
}

/**
 * The Gemini API provider (`google`): chat completions (streamed or not) through
 * generateContent / streamGenerateContent, embeddings through embedContent /
 * batchEmbedContents, the model list, and passthrough to any other Gemini API path.
 */
export function createGoogleProvider(deps: GoogleProviderDependencies): ProviderModel {
  const send: GeminiSendOptions = { fetch: deps.fetch, now: () => deps.clock.now() };
  const randomKey = deps.randomKey ?? (() => globalThis.crypto.randomUUID().replace(/-/g, ''));

  async function chat(request: ProviderRequest): Promise<ProviderResponse> {
    const body = jsonBody(request);
    const { request: native, warnings } = convertChatRequest(body);
    const stream = request.stream || body.stream === true;
    const url = geminiModelUrl(request.target, body.model, stream ? 'streamGenerateContent' : 'generateContent', stream);
    const response = await sendGeminiRequest(send, request, url, {
      method: 'POST',
      body: JSON.stringify(native),
      contentType: 'application/json',
      accept: stream ? 'text/event-stream' : 'application/json',
    });
    const fallback = { model: String(body.model), created: Math.floor(deps.clock.now() / 1000), randomKey };

    if (stream) {
      if (response.body === null) throw new BadGatewayError('google answered a stream request without a body.', 'invalid_upstream_response');
      const options = isJsonObject(body.stream_options) ? body.stream_options : {};
      const streamed = streamChatCompletionChunks(readSseEvents(response.body), createGeminiStreamTransformer(fallback), {
        provider: PROVIDER,
        includeUsage: options.include_usage === true,
        signal: request.signal,
      });
      return { kind: 'stream', status: 200, headers: answerHeaders('text/event-stream', warnings), body: streamed.body, outcome: streamed.outcome };
    }

    const answer = await readGeminiJson(response, request.signal);
    if (!isJsonObject(answer)) throw new BadGatewayError('google answered with JSON that is not an object.', 'invalid_upstream_response');
    const nativeAnswer = answer as GeminiGenerateContentResponse;
    const { completion, usage } = mapGeminiResponse(nativeAnswer, answerIdentity(nativeAnswer, fallback));
    return complete(completion, usage, warnings);
  }

  async function embeddings(request: ProviderRequest): Promise<ProviderResponse> {
    const body = jsonBody(request);
    const converted = convertEmbeddingRequest(body);
    const response = await sendGeminiRequest(send, request, geminiModelUrl(request.target, body.model, converted.method), {
      method: 'POST',
      body: JSON.stringify(converted.body),
      contentType: 'application/json',
      accept: 'application/json',
    });
    const answer = await readGeminiJson(response, request.signal);
    const { response: mapped, usage } = mapEmbeddingResponse(answer, String(body.model), converted.encoding);
    return complete(mapped, usage, converted.warnings);
  }

  async function listModels(request: ProviderRequest): Promise<ProviderResponse> {
    // One page of up to 1000 models holds Google's whole catalogue.
    const response = await sendGeminiRequest(send, request, `${geminiApiBase(request.target)}/models?pageSize=1000`, {
      method: 'GET',
      accept: 'application/json',
    });
    return complete(mapGeminiModels(await readGeminiJson(response, request.signal)), undefined, []);
  }

  /** Any other path goes to the Gemini API base as it came (countTokens, files, cachedContents, ...). */
  async function passthrough(request: ProviderRequest): Promise<ProviderResponse> {
    const method = request.method.toUpperCase();
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const response = await sendGeminiRequest(send, request, `${geminiApiBase(request.target)}${request.path}${request.search}`, {
      method,
      body: hasBody ? request.rawBody : undefined,
      contentType: hasBody ? request.contentType : undefined,
      accept: request.headers.get('accept') ?? '*/*',
    });
    const headers = new Headers();
    const contentType = response.headers.get('content-type');
    if (contentType !== null) headers.set('content-type', contentType);
    return { kind: 'binary', status: response.status, headers, body: response.body };
  }

  async function call(request: ProviderRequest): Promise<ProviderResponse> {
    switch (request.endpoint) {
      case 'chat.completions':
        return chat(request);
      case 'embeddings':
        return embeddings(request);
      case 'models.list':
        return listModels(request);
      case 'passthrough':
        return passthrough(request);
      default:
        throw new BadRequestError(`${PROVIDER} does not support ${request.endpoint}`, 'unsupported_endpoint');
    }
  }

  return { id: PROVIDER, requiresApiKey: true, call };
}
