import { randomUUID } from 'node:crypto';
import { BadGatewayError, BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject } from '../../core/json.ts';
import { streamChatCompletionChunks } from '../../protocol/chat-chunk-stream.ts';
import { readSseEvents } from '../../protocol/sse-event-source.ts';
import type { ProviderRequest, ProviderResponse } from '../provider-model.ts';
import type { CohereChatResponse } from './cohere-api-types.ts';
import { type CohereDependencies, convertedAnswerHeaders, postJsonToCohere, readCohereJson } from './cohere-http.ts';
import { createCohereStreamTransformer } from './cohere-stream-transformer.ts';
import { cohereUrl } from './cohere-url.ts';
import { convertToCohereChatRequest } from './convert-to-cohere-chat-request.ts';
import { mapCohereChatResponse } from './map-cohere-chat-response.ts';
import { isCohereFailure } from './map-cohere-finish-reason.ts';
import { COHERE_PROVIDER_ID, cohereGenerationError } from './read-cohere-error.ts';

const encoder = new TextEncoder();

/** POST /v2/chat for an OpenAI chat completion, streamed or not. */
export async function callCohereChat(deps: CohereDependencies, request: ProviderRequest): Promise<ProviderResponse> {
  if (request.body === undefined) throw new BadRequestError('A chat completion needs a JSON body.');
  const { body, warnings } = convertToCohereChatRequest(request.body, request.stream);
  const response = await postJsonToCohere(deps, request, cohereUrl(request.target, '/v2/chat'), body, request.stream);
  const context = { model: body.model, created: Math.floor(deps.clock.now() / 1000), fallbackId: `chatcmpl-${randomUUID()}` };

  if (request.stream) {
    if (response.body === null) throw new BadGatewayError(`${COHERE_PROVIDER_ID} answered a stream request with no body.`, 'invalid_upstream_response');
    const streamOptions = request.body.stream_options;
    const { body: stream, outcome } = streamChatCompletionChunks(readSseEvents(response.body), createCohereStreamTransformer(context), {
      provider: COHERE_PROVIDER_ID,
      includeUsage: isJsonObject(streamOptions) && streamOptions.include_usage === true,
      signal: request.signal,
    });
    return { kind: 'stream', status: 200, headers: convertedAnswerHeaders(warnings), body: stream, outcome };
  }

  const answer = (await readCohereJson(response, request.signal)) as CohereChatResponse;
  if (isCohereFailure(answer.finish_reason)) throw cohereGenerationError(answer.finish_reason, answer.error_message);
  const { completion, usage } = mapCohereChatResponse(answer, context);
  return {
    kind: 'complete',
    status: 200,
    headers: convertedAnswerHeaders(warnings, 'application/json'),
    body: encoder.encode(JSON.stringify(completion)),
    usage,
  };
}
