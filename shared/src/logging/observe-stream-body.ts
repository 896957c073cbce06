import type { LoggedResponseBody } from '../ports/request-log-sink.ts';
import { tapStream } from '../protocol/tap-stream.ts';

/** What the request log learns from a streamed answer once it has ended. */
export interface ObservedStream {
  /** When the first non-empty chunk went to the caller (epoch ms), if one did. */
  firstChunkAt: number | undefined;
  body: Extract<LoggedResponseBody, { kind: 'stream' }>;
}

/**
 * Pass a streamed answer through unchanged while noting when its first chunk left and
 * copying its first `captureBytes` bytes for the log. Pull-based with no buffer of its own
 * (`highWaterMark: 0`), so it adds no delay and keeps backpressure; a cancel from the caller
 * goes straight to the source, as before. `observed` settles when the stream ends, fails or is
 * cancelled.
 */
export function observeStreamBody(
  source: ReadableStream<Uint8Array>,
  captureBytes: number,
  now: () => number,
): { body: ReadableStream<Uint8Array>; observed: Promise<ObservedStream> } {
  const chunks: Uint8Array[] = [];
  let capturedBytes = 0;
  let totalBytes = 0;
  let truncated = false;
  let firstChunkAt: number | undefined;
  let settle: (observed: ObservedStream) => void = () => undefined;
  const observed = new Promise<ObservedStream>((resolve) => {
    settle = resolve;
  });
  const body = tapStream(source, {
    onChunk(chunk) {
      if (chunk.byteLength === 0) return;
      firstChunkAt ??= now();
      totalBytes += chunk.byteLength;
      const room = captureBytes - capturedBytes;
      if (room >= chunk.byteLength) {
        // A copy: the producer owns its chunk and could reuse the memory.
        chunks.push(chunk.slice());
        capturedBytes += chunk.byteLength;
      } else {
        if (room > 0) chunks.push(chunk.slice(0, room));
        capturedBytes += Math.max(room, 0);
        truncated = true;
      }
    },
    onEnd: () => settle({ firstChunkAt, body: { kind: 'stream', chunks, totalBytes, truncated } }),
  });
  return { body, observed };
}
