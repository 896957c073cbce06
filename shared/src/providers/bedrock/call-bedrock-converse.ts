import { randomUUID } from 'node:crypto';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { BadGatewayError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject } from '../../core/json.ts';
import type { Clock } from '../../ports/clock.ts';
import { streamChatCompletionChunks } from '../../protocol/chat-chunk-stream.ts';
import { SSE_RESPONSE_HEADERS } from '../../protocol/sse-encoding.ts';
import type { ProviderRequest, ProviderResponse } from '../provider-model.ts';
import type { ConverseStreamOutput } from './bedrock-api-types.ts';
import { bedrockStreamExceptionError, mapBedrockSdkError, STREAM_EXCEPTION_MEMBERS } from './bedrock-errors.ts';
import { loadBedrockSdk } from './bedrock-sdk.ts';
import { createBedrockStreamTransformer } from './bedrock-stream-transformer.ts';
import { convertToBedrockRequest } from './convert-to-bedrock-request.ts';
import { mapBedrockResponse, type BedrockAnswerContext } from './map-bedrock-response.ts';

/** Response header listing request parameters Bedrock could not honour and the gateway dropped. */
export const WARNINGS_HEADER = 'x-turnpike-warnings';

function responseHeaders(base: Record<string, string>, warnings: readonly string[]): Headers {
  const headers = new Headers(base);
  if (warnings.length > 0) headers.set(WARNINGS_HEADER, warnings.join(','));
  return headers;
}

/** Converse answers have no id of their own; the AWS request id is unique and traceable. */
function answerId(requestId: string | undefined): string {
  return `chatcmpl-${requestId ?? randomUUID()}`;
}

function streamException(event: ConverseStreamOutput): Error | undefined {
  for (const member of STREAM_EXCEPTION_MEMBERS) {
    const exception = event[member];
    if (exception !== undefined) return bedrockStreamExceptionError(member, exception.message);
  }
  return undefined;
}

/**
 * A chat completion through Converse, or ConverseStream when the caller asked for a stream.
 * The first stream event is read before answering: an exception Bedrock sends before any
 * content (throttling, above all) then becomes this call's error status, which the engine
 * can retry or fall back on, instead of an error event inside a 200 stream.
 */
export async function callBedrockConverse(
  client: BedrockRuntimeClient,
  request: ProviderRequest,
  body: JsonObject,
  clock: Clock,
): Promise<ProviderResponse> {
  const converted = convertToBedrockRequest(body);
  const { ConverseCommand, ConverseStreamCommand } = await loadBedrockSdk();
  const created = Math.floor(clock.now() / 1000);
  const context = (requestId: string | undefined): BedrockAnswerContext => ({
    id: answerId(requestId),
    created,
    model: converted.input.modelId,
    jsonMode: converted.jsonMode,
  });

  if (!request.stream) {
    let output;
    try {
      output = await client.send(new ConverseCommand(converted.input), { abortSignal: request.signal });
    } catch (error) {
      throw mapBedrockSdkError(error, request.signal);
    }
    const { completion, usage } = mapBedrockResponse(output, context(output.$metadata.requestId));
    return {
      kind: 'complete',
      status: 200,
      headers: responseHeaders({ 'content-type': 'application/json' }, converted.warnings),
      body: new TextEncoder().encode(JSON.stringify(completion)),
      usage,
    };
  }

  // Aborted when the caller cancels the stream, so the SDK drops the connection at once.
  const cancel = new AbortController();
  const abortSignal = AbortSignal.any([request.signal, cancel.signal]);
  let output;
  try {
    output = await client.send(new ConverseStreamCommand(converted.input), { abortSignal });
  } catch (error) {
    throw mapBedrockSdkError(error, request.signal);
  }
  const events = output.stream?.[Symbol.asyncIterator]();
  if (events === undefined) {
    throw new BadGatewayError('Bedrock answered a ConverseStream call without an event stream.', 'invalid_upstream_response');
  }
  let first: IteratorResult<ConverseStreamOutput>;
  try {
    first = await events.next();
  } catch (error) {
    cancel.abort();
    throw mapBedrockSdkError(error, request.signal);
  }
  const early = first.done === true ? undefined : streamException(first.value);
  if (early !== undefined) {
    cancel.abort();
    throw early;
  }

  let peeked: IteratorResult<ConverseStreamOutput> | undefined = first;
  const source: AsyncIterator<ConverseStreamOutput> = {
    async next() {
      if (peeked !== undefined) {
        const result = peeked;
        peeked = undefined;
        return result;
      }
      try {
        return await events.next();
      } catch (error) {
        throw mapBedrockSdkError(error, request.signal);
      }
    },
    async return() {
      cancel.abort();
      await events.return?.().catch(() => undefined);
      return { done: true, value: undefined };
    },
  };
  const includeUsage = isJsonObject(body.stream_options) && body.stream_options.include_usage === true;
  const stream = streamChatCompletionChunks(source, createBedrockStreamTransformer(context(output.$metadata.requestId)), {
    provider: 'bedrock',
    includeUsage,
    signal: request.signal,
  });
  return {
    kind: 'stream',
    status: 200,
    headers: responseHeaders(SSE_RESPONSE_HEADERS, converted.warnings),
    body: stream.body,
    outcome: stream.outcome,
  };
}
