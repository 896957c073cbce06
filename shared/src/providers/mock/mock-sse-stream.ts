import type { Clock } from '../../ports/clock.ts';
import { encodeSseData, SSE_DONE } from '../../protocol/sse-encoding.ts';

/** One `data:` event of a mock stream. */
export interface MockSseEvent {
  /** The event's data: JSON text, or anything at all for an injected malformed line. */
  data: string;
  /** Content chunks are the ones counted by `cut_after` and spaced by `chunk_delay_ms`. */
  isContent: boolean;
}

export interface MockSseStreamOptions {
  clock: Clock;
  /** The "HTTP request's" signal: aborting it breaks the stream as it would break a socket. */
  signal: AbortSignal | undefined;
  chunkDelayMs: number;
  /** Break the stream after this many content chunks, as a dropped connection would. */
  cutAfter: number | undefined;
  /** Put a data line that is not JSON right after the first event. */
  malformed: boolean;
}

const MALFORMED_EVENT = 'this is not JSON (fault injected by the mock provider: malformed)';

function connectionDropped(contentChunks: number): Error {
  // The shape undici gives when the peer closes mid-body: TypeError('terminated') with a cause.
  return new TypeError('terminated', {
    cause: new Error(`The mock provider dropped the connection after ${contentChunks} content chunks (cut_after).`),
  });
}

/**
 * The body of a mock SSE answer. Pull-based with no read-ahead: an event is produced only
 * when the reader asks for it, so backpressure reaches the "server", and cancelling the
 * stream stops production (a pending chunk delay is abandoned at once).
 */
export function createMockSseStream(events: readonly MockSseEvent[], options: MockSseStreamOptions): ReadableStream<Uint8Array> {
  const queue: (MockSseEvent | 'done')[] = [...events];
  if (options.malformed) queue.splice(Math.min(1, queue.length), 0, { data: MALFORMED_EVENT, isContent: false });
  queue.push('done');

  const stopped = new AbortController();
  const signal = options.signal === undefined ? stopped.signal : AbortSignal.any([options.signal, stopped.signal]);
  let next = 0;
  let contentSent = 0;
  let removeAbortListener = (): void => {};

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const requestSignal = options.signal;
        if (requestSignal === undefined) return;
        const onAbort = (): void => {
          stopped.abort(requestSignal.reason);
          controller.error(requestSignal.reason);
        };
        requestSignal.addEventListener('abort', onAbort, { once: true });
        removeAbortListener = () => requestSignal.removeEventListener('abort', onAbort);
      },
      async pull(controller) {
        signal.throwIfAborted();
        const item = queue[next];
        if (item === undefined) {
          removeAbortListener();
          controller.close();
          return;
        }
        if (item === 'done') {
          next += 1;
          controller.enqueue(SSE_DONE);
          return;
        }
        if (item.isContent) {
          if (options.cutAfter !== undefined && contentSent >= options.cutAfter) {
            removeAbortListener();
            controller.error(connectionDropped(contentSent));
            return;
          }
          if (contentSent > 0 && options.chunkDelayMs > 0) {
            await options.clock.sleep(options.chunkDelayMs, signal);
            // A clock that ignores the signal may still resolve after a cancel.
            if (stopped.signal.aborted) return;
          }
          contentSent += 1;
        }
        next += 1;
        controller.enqueue(encodeSseData(item.data));
      },
      cancel(reason) {
        removeAbortListener();
        stopped.abort(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
