/** What a tapped stream tells its observer. */
export interface StreamTap {
  /** Each chunk, just before it goes on to the caller. */
  onChunk(chunk: Uint8Array): void;
  /**
   * Once, when the stream is over: `complete` is true when the source ended and the caller read
   * all of it, false when the source failed or the caller cancelled.
   */
  onEnd(complete: boolean): void;
}

/**
 * Pass `source` on unchanged, chunk by chunk, while `tap` sees every chunk and the end. Unlike
 * `tee()` it reads only as fast as the caller does (`highWaterMark: 0`, no buffer of its own),
 * so it adds no delay, keeps backpressure, and a cancel goes straight to the source.
 */
export function tapStream(source: ReadableStream<Uint8Array>, tap: StreamTap): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let over = false;
  const end = (complete: boolean): void => {
    if (over) return;
    over = true;
    tap.onEnd(complete);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          end(false);
          controller.error(error);
          return;
        }
        if (result.done) {
          end(true);
          controller.close();
          return;
        }
        tap.onChunk(result.value);
        controller.enqueue(result.value);
      },
      cancel(reason) {
        end(false);
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
