import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One event larger than this is refused; it bounds the parser's memory. */
const MAX_EVENT_CHARACTERS = 8 * 1024 * 1024;

export type SseEvent = EventSourceMessage;

/**
 * Read SSE events from a byte stream as they complete. Pull-based: the body is read only as
 * fast as events are consumed. `return()` (a consumer breaking out early) cancels the body.
 * A stream that ends in the middle of an event drops that partial event; providers' own
 * end markers (message_stop, [DONE], finishReason) tell callers whether the stream was whole.
 */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const ready: SseEvent[] = [];
  let oversized = false;
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARACTERS,
    onEvent: (event) => ready.push(event),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') oversized = true;
    },
  });
  let ended = false;
  try {
    for (;;) {
      while (ready.length > 0) yield ready.shift() as SseEvent;
      if (oversized) throw new Error('An SSE event exceeded the size the gateway accepts.');
      if (ended) return;
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        // A last event not followed by a blank line still counts (some servers omit it).
        parser.feed(`${decoder.decode()}\n\n`);
      } else {
        parser.feed(decoder.decode(value, { stream: true }));
      }
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => undefined);
  }
}
