import type { JsonObject, JsonValue } from '../core/json.ts';
import { isJsonObject } from '../core/json.ts';
import { SSE_DONE, encodeSseData } from '../protocol/sse-encoding.ts';

/** The cacheable endpoints that can answer with a stream. */
export type StreamableCacheEndpoint = 'chat.completions' | 'completions';

function chunkHead(answer: JsonObject, object: string): JsonObject {
  const head: JsonObject = { id: answer.id ?? '', object, created: answer.created ?? 0, model: answer.model ?? '' };
  if (answer.system_fingerprint !== undefined) head.system_fingerprint = answer.system_fingerprint;
  return head;
}

function chatChoiceChunks(head: JsonObject, choice: JsonObject): JsonObject[] {
  const index = typeof choice.index === 'number' ? choice.index : 0;
  const message = isJsonObject(choice.message) ? choice.message : {};
  const chunk = (delta: JsonObject, finishReason: JsonValue = null, logprobs: JsonValue = null): JsonObject => ({
    ...head,
    choices: [{ index, delta, logprobs, finish_reason: finishReason }],
  });
  const chunks = [chunk({ role: 'assistant', content: '' })];
  if (typeof message.reasoning_content === 'string' && message.reasoning_content !== '') {
    chunks.push(chunk({ reasoning_content: message.reasoning_content }));
  }
  if (typeof message.content === 'string' && message.content !== '') chunks.push(chunk({ content: message.content }, null, choice.logprobs ?? null));
  if (typeof message.refusal === 'string' && message.refusal !== '') chunks.push(chunk({ refusal: message.refusal }));
  if (Array.isArray(message.tool_calls)) {
    message.tool_calls.forEach((call, position) => {
      if (!isJsonObject(call)) return;
      const fn = isJsonObject(call.function) ? call.function : {};
      chunks.push(
        chunk({
          tool_calls: [{ index: position, id: call.id ?? '', type: 'function', function: { name: fn.name ?? '', arguments: fn.arguments ?? '' } }],
        }),
      );
    });
  }
  chunks.push(chunk({}, choice.finish_reason ?? 'stop'));
  return chunks;
}

function textChoiceChunks(head: JsonObject, choice: JsonObject): JsonObject[] {
  const index = typeof choice.index === 'number' ? choice.index : 0;
  return [
    { ...head, choices: [{ text: typeof choice.text === 'string' ? choice.text : '', index, logprobs: choice.logprobs ?? null, finish_reason: null }] },
    { ...head, choices: [{ text: '', index, logprobs: null, finish_reason: choice.finish_reason ?? 'stop' }] },
  ];
}

/**
 * The chunk payloads that stream a cached answer the way OpenAI streams it: per choice a
 * role chunk, the reasoning, the content, the refusal, one chunk per tool call and a finish
 * chunk, then a usage chunk (choices empty) when the caller asked for one with
 * `stream_options.include_usage`. Undefined when the answer has no choices to stream.
 */
export function cachedAnswerChunks(answer: JsonObject, endpoint: StreamableCacheEndpoint, includeUsage: boolean): JsonObject[] | undefined {
  const chat = endpoint === 'chat.completions';
  if (!Array.isArray(answer.choices)) return undefined;
  const head = chunkHead(answer, chat ? 'chat.completion.chunk' : 'text_completion');
  const chunks: JsonObject[] = [];
  for (const choice of answer.choices) {
    if (!isJsonObject(choice)) return undefined;
    chunks.push(...(chat ? chatChoiceChunks(head, choice) : textChoiceChunks(head, choice)));
  }
  if (includeUsage && isJsonObject(answer.usage)) chunks.push({ ...head, choices: [], usage: answer.usage });
  return chunks;
}

/** A cached answer as a whole SSE body ending with `[DONE]`; undefined when it cannot stream (see cachedAnswerChunks). */
export function replayAnswerAsSse(answer: JsonObject, endpoint: StreamableCacheEndpoint, includeUsage: boolean): ReadableStream<Uint8Array> | undefined {
  const chunks = cachedAnswerChunks(answer, endpoint, includeUsage);
  if (chunks === undefined) return undefined;
  const frames = [...chunks.map((chunk) => encodeSseData(JSON.stringify(chunk))), SSE_DONE];
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // Everything is known already: one write lets the client parse the whole answer at once.
      const body = new Uint8Array(frames.reduce((total, frame) => total + frame.byteLength, 0));
      let offset = 0;
      for (const frame of frames) {
        body.set(frame, offset);
        offset += frame.byteLength;
      }
      controller.enqueue(body);
      controller.close();
    },
  });
}
