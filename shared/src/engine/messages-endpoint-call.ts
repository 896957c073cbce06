import { BadGatewayError, BadRequestError } from '../core/gateway-error.ts';
import { isJsonObject, type JsonObject } from '../core/json.ts';
import { convertChatCompletion } from '../protocol/anthropic-messages/convert-chat-completion.ts';
import { convertChatStreamToAnthropic } from '../protocol/anthropic-messages/convert-chat-stream.ts';
import { convertMessagesRequest } from '../protocol/anthropic-messages/convert-messages-request.ts';
import { observeAnthropicStream } from '../protocol/anthropic-messages/observe-anthropic-stream.ts';
import { mergeAnthropicUsageCounts, usageFromAnthropicCounts } from '../protocol/anthropic-messages/read-anthropic-usage.ts';
import type { ProviderRequest, ProviderResponse, StreamOutcome } from '../providers/provider-model.ts';

/** The provider that speaks the Messages API itself; every other one answers through the chat form. */
const NATIVE_MESSAGES_PROVIDER = 'anthropic';

const WARNINGS_HEADER = 'x-turnpike-warnings';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The endpoint-specific half of a ProviderRequest. */
export type EndpointCall = Pick<ProviderRequest, 'endpoint' | 'method' | 'path' | 'search' | 'body' | 'rawBody' | 'contentType'>;

export interface MessagesEndpointCall {
  call: EndpointCall;
  /** The provider's answer as the Messages API gives it. */
  convertResponse(response: ProviderResponse): Promise<ProviderResponse>;
}

function withWarnings(source: Headers, warnings: readonly string[]): Headers {
  const headers = new Headers(source);
  if (warnings.length === 0) return headers;
  const earlier = headers.get(WARNINGS_HEADER);
  headers.set(WARNINGS_HEADER, [...(earlier === null ? [] : [earlier]), ...warnings].join(','));
  return headers;
}

function convertCompleteAnswer(response: Extract<ProviderResponse, { kind: 'complete' }>, warnings: readonly string[]): ProviderResponse {
  let completion: unknown;
  try {
    completion = JSON.parse(decoder.decode(response.body));
  } catch {
    completion = undefined;
  }
  if (!isJsonObject(completion)) {
    throw new BadGatewayError('The provider answered with a body that is not a chat completion.', 'invalid_upstream_response');
  }
  const headers = withWarnings(response.headers, warnings);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  const message = convertChatCompletion(completion, response.usage);
  return { ...response, headers, body: encoder.encode(JSON.stringify(message)) };
}

function convertStreamedAnswer(
  response: Extract<ProviderResponse, { kind: 'stream' }>,
  options: { provider: string; model: string; fallbackMessageId: string; warnings: readonly string[] },
): ProviderResponse {
  const converted = convertChatStreamToAnthropic(response.body, {
    provider: options.provider,
    model: options.model,
    fallbackMessageId: options.fallbackMessageId,
    finalUsage: response.outcome.then((outcome) => outcome.usage),
  });
  // The provider's outcome knows its own errors best; a failure of the conversion itself
  // (or the caller leaving) is known only to the converter.
  const outcome = Promise.all([response.outcome, converted.outcome]).then(([upstream, conversion]): StreamOutcome => {
    const failure = conversion.failure;
    const error = failure !== undefined && !failure.fromUpstream ? failure : (upstream.error ?? failure);
    return { usage: upstream.usage ?? conversion.usage, error: error === undefined ? undefined : { status: error.status, message: error.message } };
  });
  return { ...response, headers: withWarnings(response.headers, options.warnings), body: converted.body, outcome };
}

function isEventStream(headers: Headers): boolean {
  return headers.get('content-type')?.toLowerCase().includes('text/event-stream') === true;
}

/**
 * Anthropic's own answer, its bytes unchanged, with its usage read on the way so budgets and
 * the request log see it: a stream is observed as it passes, a whole message read once.
 */
async function observeNativeAnswer(response: ProviderResponse): Promise<ProviderResponse> {
  if (response.kind !== 'binary' || response.body === null) return response;
  if (isEventStream(response.headers)) {
    const observed = observeAnthropicStream(response.body, { provider: NATIVE_MESSAGES_PROVIDER });
    return { kind: 'stream', status: response.status, headers: response.headers, body: observed.body, outcome: observed.outcome };
  }
  let body: Uint8Array;
  try {
    body = new Uint8Array(await new Response(response.body).arrayBuffer());
  } catch (cause) {
    throw new BadGatewayError(`The connection to ${NATIVE_MESSAGES_PROVIDER} broke before the answer was complete.`, 'upstream_unreachable', cause);
  }
  let message: unknown;
  try {
    message = JSON.parse(decoder.decode(body));
  } catch {
    message = undefined;
  }
  const usage = isJsonObject(message) ? usageFromAnthropicCounts(mergeAnthropicUsageCounts({}, message.usage)) : undefined;
  return { kind: 'complete', status: response.status, headers: response.headers, body, usage };
}

/**
 * Plan one `POST /v1/messages` call to one provider. Anthropic gets the caller's body as it
 * is (after override_params) on its own Messages endpoint and its answer goes back byte for
 * byte (its usage read on the way). Any other provider gets the request as a chat completion, and its answer (JSON or
 * SSE) is converted back to the Messages format.
 */
export function planMessagesCall(
  provider: string,
  body: JsonObject | undefined,
  original: { search: string; fallbackMessageId: string },
): MessagesEndpointCall {
  if (body === undefined) throw new BadRequestError('The request body must be a Messages API JSON object.', 'invalid_json');
  if (provider === NATIVE_MESSAGES_PROVIDER) {
    return {
      call: {
        endpoint: 'passthrough',
        method: 'POST',
        path: '/messages',
        search: original.search,
        body: undefined,
        rawBody: encoder.encode(JSON.stringify(body)),
        contentType: 'application/json',
      },
      convertResponse: observeNativeAnswer,
    };
  }
  const { request, warnings } = convertMessagesRequest(body);
  return {
    call: {
      endpoint: 'chat.completions',
      method: 'POST',
      path: '/chat/completions',
      search: '',
      // Built from JSON values only; its typed interfaces just lack JsonObject's index signature.
      body: request as unknown as JsonObject,
      rawBody: undefined,
      contentType: 'application/json',
    },
    async convertResponse(response) {
      switch (response.kind) {
        case 'complete':
          return convertCompleteAnswer(response, warnings);
        case 'stream':
          return convertStreamedAnswer(response, { provider, model: request.model, fallbackMessageId: original.fallbackMessageId, warnings });
        case 'binary':
          return { ...response, headers: withWarnings(response.headers, warnings) };
      }
    },
  };
}
