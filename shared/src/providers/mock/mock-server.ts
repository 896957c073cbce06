import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { Clock } from '../../ports/clock.ts';
import type { FetchFunction } from '../provider-model.ts';
import { openAIErrorAnswer, renderMockAnswer, type MockAnswer } from './mock-answer.ts';
import { answerChatCompletion } from './mock-chat-completions.ts';
import { answerEmbeddings } from './mock-embeddings.ts';
import type { MockOptions } from './mock-fault-options.ts';
import { answerImageGeneration } from './mock-images.ts';
import { answerModel, answerModelList } from './mock-models.ts';
import { MockInvalidRequest, type MockEndpointContext } from './mock-request-fields.ts';
import { answerSpeech } from './mock-speech.ts';
import { answerTextCompletion } from './mock-text-completions.ts';
import { answerTranscription } from './mock-transcriptions.ts';
import { canonicalJson, stableHash } from './stable-hash.ts';

/** Where the mock "lives". `.invalid` can never resolve, so nothing could reach a real host. */
export const MOCK_BASE_URL = 'https://mock.turnpike.invalid/v1';

const decoder = new TextDecoder();

interface MockHttpRequest {
  method: string;
  /** The path below `/v1`. */
  path: string;
  query: URLSearchParams;
  bytes: Uint8Array;
  contentType: string | null;
  /** The body as JSON, when it is JSON. */
  json: JsonValue | undefined;
}

function pathBelowBase(url: URL): string {
  const base = new URL(MOCK_BASE_URL).pathname;
  return url.pathname.startsWith(`${base}/`) ? url.pathname.slice(base.length) : url.pathname;
}


function parseJson(bytes: Uint8Array): JsonValue | undefined {
  if (bytes.byteLength === 0) return undefined;
  try {
    return JSON.parse(decoder.decode(bytes)) as JsonValue;
  } catch {
    return undefined;
  }
}

/** Never settles unless the signal aborts; then rejects with its reason, as fetch does. */
function waitForAbort(signal: AbortSignal | undefined): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    if (signal === undefined) return;
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

function injectedStatusAnswer(status: number, options: MockOptions): MockAnswer {
  const headers: Record<string, string> = {};
  if (options.retryAfterSeconds !== undefined) headers['retry-after'] = String(options.retryAfterSeconds);
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
  return openAIErrorAnswer(
    status,
    `The mock provider answered HTTP ${status} because the request asked it to (injected fault: mock status ${status}).`,
    { code: 'mock_injected_fault', headers },
  );
}

function jsonBody(request: MockHttpRequest): JsonObject {
  if (!isJsonObject(request.json)) {
    throw new MockInvalidRequest('The request body must be a JSON object.', null, 'invalid_json');
  }
  return request.json;
}

function echo(request: MockHttpRequest): MockAnswer {
  return {
    kind: 'json',
    status: 200,
    body: {
      object: 'mock.echo',
      method: request.method,
      path: request.path,
      query: Object.fromEntries(request.query),
      body_bytes: request.bytes.byteLength,
    },
  };
}

async function route(request: MockHttpRequest, context: MockEndpointContext): Promise<MockAnswer> {
  switch (`${request.method} ${request.path}`) {
    case 'POST /chat/completions':
      return answerChatCompletion(jsonBody(request), context);
    case 'POST /completions':
      return answerTextCompletion(jsonBody(request), context);
    case 'POST /embeddings':
      return answerEmbeddings(jsonBody(request));
    case 'POST /images/generations':
      return answerImageGeneration(jsonBody(request), context);
    case 'POST /audio/speech':
      return answerSpeech(jsonBody(request));
    case 'POST /audio/transcriptions':
      return answerTranscription(request.bytes, request.contentType, 'transcribe');
    case 'POST /audio/translations':
      return answerTranscription(request.bytes, request.contentType, 'translate');
    case 'GET /models':
      return answerModelList();
  }
  const model = /^\/models\/([^/]+)$/.exec(request.path)?.[1];
  if (request.method === 'GET' && model !== undefined) return answerModel(decodeURIComponent(model));
  return echo(request);
}

/**
 * An in-process OpenAI-compatible server behind a fetch function: it answers the way the
 * real API does, deterministically (ids from a hash of the request, `created` from the
 * clock), and injects the faults `options` ask for. The mock provider hands it to the
 * OpenAI-compatible provider, so faults travel exactly the path real providers' do.
 */
export function createMockServerFetch(deps: { clock: Clock }, options: MockOptions): FetchFunction {
  return async (input, init) => {
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const url = new URL(input);
    // Reading through a Request gives any body type (string, bytes, FormData, stream) its
    // bytes and, for FormData, the multipart content type with its boundary, as a server sees them.
    const received = new Request(url, {
      method: init?.method ?? 'GET',
      headers: init?.headers ?? {},
      body: init?.body ?? null,
      duplex: 'half',
    });
    const bytes = new Uint8Array(await received.arrayBuffer());
    const json = parseJson(bytes);
    const request: MockHttpRequest = {
      method: received.method.toUpperCase(),
      path: pathBelowBase(url),
      query: url.searchParams,
      bytes,
      contentType: received.headers.get('content-type'),
      json,
    };
    const requestHash = stableHash(
      `${request.method} ${request.path}${url.search}\n${json === undefined ? decoder.decode(bytes) : canonicalJson(json)}`,
    );

    if (options.timeout === true) await waitForAbort(signal);
    if (options.latencyMs !== undefined && options.latencyMs > 0) await deps.clock.sleep(options.latencyMs, signal);

    const context: MockEndpointContext = {
      createdSeconds: Math.floor(deps.clock.now() / 1000),
      requestHash,
      options,
    };
    let answer: MockAnswer;
    if (options.status !== undefined) {
      answer = injectedStatusAnswer(options.status, options);
    } else {
      try {
        answer = await route(request, context);
      } catch (error) {
        if (!(error instanceof MockInvalidRequest)) throw error;
        answer = openAIErrorAnswer(400, error.message, { code: error.code, param: error.param });
      }
    }
    return renderMockAnswer(answer, { clock: deps.clock, signal, options, requestId: `req_mock_${requestHash}` });
  };
}
