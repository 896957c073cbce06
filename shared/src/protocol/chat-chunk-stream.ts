import type { ChatCompletionChunk } from '../core/chat-types.ts';
import { BadGatewayError, GatewayError } from '../core/gateway-error.ts';
import type { Usage } from '../core/usage.ts';
import { encodeSseData, encodeSseError, SSE_DONE } from './sse-encoding.ts';

/** What a native provider's stream transformer produces from each native event. */
export type ChatStreamPart =
  | { type: 'chunk'; chunk: ChatCompletionChunk }
  /** Token usage; `chunk` is the usage-only chunk sent to callers who asked for it. */
  | { type: 'usage'; usage: Usage; chunk: ChatCompletionChunk }
  /** The native stream's own end marker (message_stop, messageStop, a finishReason, ...). */
  | { type: 'finish' }
  | { type: 'error'; error: GatewayError };

export interface ChatStreamTransformer<Event> {
  /** Turn one native event into zero or more parts; may throw on a malformed event. */
  transform(event: Event): ChatStreamPart[];
  /** Called once when the native stream has ended, for parts still held back. */
  flush?(): ChatStreamPart[];
}

export interface ChatChunkStreamOptions {
  /** Provider id, for error messages. */
  provider: string;
  /** Whether the caller asked for the usage chunk (`stream_options.include_usage`). */
  includeUsage: boolean;
  /** The upstream call's signal: when it aborted with a GatewayError, that error ends the stream. */
  signal?: AbortSignal | undefined;
}

/** The end of a streamed answer, as the engine records it. */
export interface ChatStreamOutcome {
  usage: Usage | undefined;
  error?: { status: number; message: string } | undefined;
}

const CALLER_CLOSED_STATUS = 499;

/**
 * Drive a native event stream through a transformer and encode the result as OpenAI SSE.
 * Pull-based (the native stream is read only as fast as the caller reads), cancel-aware
 * (cancelling the result returns the source, which cancels the upstream), and honest: the
 * caller's stream ends with `[DONE]` only when the native stream carried its end marker;
 * a cut, an error event or a malformed event ends it with an SSE error event instead.
 */
export function streamChatCompletionChunks<Event>(
  source: AsyncIterator<Event>,
  transformer: ChatStreamTransformer<Event>,
  options: ChatChunkStreamOptions,
): { body: ReadableStream<Uint8Array>; outcome: Promise<ChatStreamOutcome> } {
  let usage: Usage | undefined;
  let finishSeen = false;
  let done = false;
  /** Chunks handed to the caller so far; a pull must add at least one or end the stream. */
  let enqueued = 0;
  let settle: (outcome: ChatStreamOutcome) => void = () => undefined;
  const outcome = new Promise<ChatStreamOutcome>((resolve) => {
    settle = resolve;
  });

  const end = (controller: ReadableStreamDefaultController<Uint8Array>, error: GatewayError | undefined): void => {
    done = true;
    enqueued++;
    controller.enqueue(error === undefined ? SSE_DONE : encodeSseError(error));
    controller.close();
    settle({ usage, error: error === undefined ? undefined : { status: error.status, message: error.message } });
  };

  /** Emit parts; returns the error that ends the stream, if one came. */
  const emit = (controller: ReadableStreamDefaultController<Uint8Array>, parts: ChatStreamPart[]): GatewayError | undefined => {
    for (const part of parts) {
      switch (part.type) {
        case 'chunk':
          enqueued++;
          controller.enqueue(encodeSseData(JSON.stringify(part.chunk)));
          break;
        case 'usage':
          usage = part.usage;
          if (options.includeUsage) {
            enqueued++;
            controller.enqueue(encodeSseData(JSON.stringify(part.chunk)));
          }
          break;
        case 'finish':
          finishSeen = true;
          break;
        case 'error':
          return part.error;
      }
    }
    return undefined;
  };

  const malformed = (cause: unknown): GatewayError =>
    new BadGatewayError(`${options.provider} sent a stream event the gateway cannot read.`, 'invalid_upstream_response', cause);

  /** Read one native event and send what it maps to. */
  const pullOnce = async (controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> => {
    if (done) return;
    let next: IteratorResult<Event>;
    try {
      next = await source.next();
    } catch (cause) {
      if (done) return;
      const reason: unknown = options.signal?.aborted === true ? options.signal.reason : undefined;
      end(
        controller,
        reason instanceof GatewayError
          ? reason
          : cause instanceof GatewayError
            ? cause
            : new BadGatewayError(`The connection to ${options.provider} broke before the stream was complete.`, 'stream_truncated', cause),
      );
      return;
    }
    if (done) return;
    let parts: ChatStreamPart[];
    try {
      parts = next.done ? (transformer.flush?.() ?? []) : transformer.transform(next.value);
    } catch (cause) {
      end(controller, malformed(cause));
      void source.return?.();
      return;
    }
    const error = emit(controller, parts);
    if (error !== undefined) {
      end(controller, error);
      void source.return?.();
      return;
    }
    if (next.done) {
      end(
        controller,
        finishSeen ? undefined : new BadGatewayError(`The stream from ${options.provider} ended before it was complete.`, 'stream_truncated'),
      );
    }
  };

  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // An event may map to no chunk (a ping, a signature). A pull that enqueues nothing is
        // never repeated by the stream, so read on until something is sent or the stream ends.
        const before = enqueued;
        while (!done && enqueued === before) await pullOnce(controller);
      },
      async cancel() {
        done = true;
        settle({ usage, error: { status: CALLER_CLOSED_STATUS, message: 'The caller closed the stream before it ended.' } });
        await source.return?.();
      },
    },
    { highWaterMark: 0 },
  );
  return { body, outcome };
}
