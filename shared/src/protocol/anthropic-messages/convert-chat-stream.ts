import type { ChatCompletionChunk } from '../../core/chat-types.ts';
import { BadGatewayError, GatewayError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';
import { readSseEvents, type SseEvent } from '../sse-event-source.ts';
import type { AnthropicStreamEvent } from './anthropic-messages-types.ts';
import { anthropicErrorType } from './anthropic-error-body.ts';
import { AnthropicStreamBuilder, type AnthropicStreamBuilderOptions } from './anthropic-stream-builder.ts';
import { encodeAnthropicSseEvent } from './anthropic-sse-encoding.ts';

const CALLER_CLOSED_STATUS = 499;

export interface ChatStreamConversionOptions extends AnthropicStreamBuilderOptions {
  /** Provider id, for error messages. */
  provider: string;
  /**
   * The provider's final usage, read once the chat stream has ended. Providers count a
   * stream's usage even when they keep the usage chunk from the caller, so no
   * `stream_options` is needed upstream.
   */
  finalUsage?: Promise<Usage | undefined> | undefined;
}

/** How the converted stream ended, for the request log. */
export interface ChatStreamConversionOutcome {
  usage: Usage | undefined;
  failure?:
    | {
        status: number;
        message: string;
        /** The chat stream itself carried the error event (the provider's outcome has its details). */
        fromUpstream: boolean;
      }
    | undefined;
}

/** What one chat SSE event means here. */
type ChatEvent = { kind: 'ignored' } | { kind: 'done' } | { kind: 'chunk'; chunk: ChatCompletionChunk } | { kind: 'error'; event: AnthropicStreamEvent; message: string };

function errorStatus(code: JsonValue | undefined): number | undefined {
  const status = typeof code === 'string' ? Number(code) : code;
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined;
}

function upstreamErrorEvent(error: JsonValue | undefined, fallback: string): { event: AnthropicStreamEvent; message: string } {
  const details = isJsonObject(error) ? error : {};
  const message = typeof details.message === 'string' ? details.message : typeof error === 'string' ? error : fallback;
  const type = anthropicErrorType(errorStatus(details.code), typeof details.type === 'string' ? details.type : undefined);
  return { event: { type: 'error', error: { type, message } }, message };
}

/** Throws on data that is not JSON; the caller turns that into an error event. */
function classify(event: SseEvent): ChatEvent {
  const data = event.data.trim();
  if (data === '') return { kind: 'ignored' };
  if (data === '[DONE]') return { kind: 'done' };
  const parsed: unknown = JSON.parse(data);
  if (!isJsonObject(parsed)) throw new Error('A chat stream event is not a JSON object.');
  if (event.event === 'error' || (parsed.error !== undefined && parsed.error !== null)) {
    return { kind: 'error', ...upstreamErrorEvent(parsed.error ?? parsed, 'The provider reported an error in the stream.') };
  }
  return { kind: 'chunk', chunk: parsed as unknown as ChatCompletionChunk };
}

function gatewayErrorEvent(error: GatewayError): AnthropicStreamEvent {
  return { type: 'error', error: { type: anthropicErrorType(error.status), message: error.message } };
}

/**
 * A reader-backed copy of `source` whose reader this module keeps, so cancelling the result
 * can cancel `source` at once even while an SSE read is waiting on it (an async generator
 * would only see `return()` after that read).
 */
function cancellableCopy(source: ReadableStream<Uint8Array>): { stream: ReadableStream<Uint8Array>; cancel: (reason: unknown) => Promise<void> } {
  const reader = source.getReader();
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return { stream, cancel: (reason) => reader.cancel(reason).catch(() => undefined) };
}

/**
 * Convert an OpenAI chat SSE stream (as every provider answers the chat endpoint) into
 * Anthropic's Messages SSE stream. Pull-based: one chat event is read per output write.
 * Cancel-aware: cancelling the result cancels `source`. Honest: the output ends with
 * message_stop only when the chat stream ended with [DONE]; an error event, a malformed
 * event, a cut connection or an end without [DONE] ends it with an Anthropic `error` event.
 */
export function convertChatStreamToAnthropic(
  source: ReadableStream<Uint8Array>,
  options: ChatStreamConversionOptions,
): { body: ReadableStream<Uint8Array>; outcome: Promise<ChatStreamConversionOutcome> } {
  const input = cancellableCopy(source);
  const events = readSseEvents(input.stream);
  const builder = new AnthropicStreamBuilder(options);
  let sawDone = false;
  let finished = false;
  let settle: (outcome: ChatStreamConversionOutcome) => void = () => undefined;
  const outcome = new Promise<ChatStreamConversionOutcome>((resolve) => {
    settle = resolve;
  });

  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, event: AnthropicStreamEvent, status: number, message: string, fromUpstream: boolean): void => {
    finished = true;
    controller.enqueue(encodeAnthropicSseEvent(event));
    controller.close();
    settle({ usage: builder.chunkUsage, failure: { status, message, fromUpstream } });
    // Nothing more is wanted from the chat stream: closing the reader cancels it.
    void events.return(undefined).catch(() => undefined);
  };
  const failWith = (controller: ReadableStreamDefaultController<Uint8Array>, error: GatewayError): void =>
    fail(controller, gatewayErrorEvent(error), error.status, error.message, false);

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (!finished) {
          let next: IteratorResult<SseEvent>;
          try {
            next = await events.next();
          } catch (cause) {
            if (finished) return;
            failWith(controller, cause instanceof GatewayError ? cause : new BadGatewayError(`The connection to ${options.provider} broke before the stream was complete.`, 'stream_truncated', cause));
            return;
          }
          if (finished) return;
          if (next.done) {
            if (!sawDone) {
              failWith(controller, new BadGatewayError(`The stream from ${options.provider} ended before it was complete.`, 'stream_truncated'));
              return;
            }
            // Read only now: a provider settles its usage once its own stream has closed.
            const usage = (await options.finalUsage?.catch(() => undefined)) ?? builder.chunkUsage;
            if (finished) return;
            finished = true;
            for (const event of builder.finish(usage)) controller.enqueue(encodeAnthropicSseEvent(event));
            controller.close();
            settle({ usage });
            return;
          }
          // Whatever follows [DONE] is read to the end of the stream but not used.
          if (sawDone) continue;
          let classified: ChatEvent;
          let converted: AnthropicStreamEvent[] = [];
          try {
            classified = classify(next.value);
            // A chunk of the wrong shape throws here too, and ends the stream the same way.
            if (classified.kind === 'chunk') converted = builder.push(classified.chunk);
          } catch (cause) {
            failWith(controller, new BadGatewayError(`${options.provider} sent a stream event the gateway cannot read.`, 'invalid_upstream_response', cause));
            return;
          }
          if (classified.kind === 'done') sawDone = true;
          else if (classified.kind === 'error') {
            fail(controller, classified.event, 502, classified.message, true);
            return;
          } else if (converted.length > 0) {
            for (const event of converted) controller.enqueue(encodeAnthropicSseEvent(event));
            return;
          }
        }
      },
      async cancel(reason) {
        if (finished) return;
        finished = true;
        settle({ usage: builder.chunkUsage, failure: { status: CALLER_CLOSED_STATUS, message: 'The caller closed the stream before it ended.', fromUpstream: false } });
        await input.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
  return { body, outcome };
}
