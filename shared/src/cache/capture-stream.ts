import { tapStream } from '../protocol/tap-stream.ts';

/** A stream passed on unchanged, with a copy of what went through. */
export interface CapturedStream {
  body: ReadableStream<Uint8Array>;
  /** The chunks the caller has read so far, or undefined once they passed the limit. */
  captured(): readonly Uint8Array[] | undefined;
  /** How many bytes went through. */
  capturedBytes(): number;
  /** Resolves true once the source ended and the caller read all of it; false when it was cancelled or failed. */
  ended: Promise<boolean>;
}

/**
 * Pass `source` through chunk by chunk and keep a reference to each chunk, up to
 * `limitBytes` (beyond that the copy is dropped and only counted). Unlike `tee()`, it reads
 * only as fast as the caller does, so nothing is buffered ahead of the caller and a
 * cancelled read cancels the source.
 */
export function captureStream(source: ReadableStream<Uint8Array>, limitBytes: number): CapturedStream {
  let chunks: Uint8Array[] | undefined = [];
  let bytes = 0;
  let settleEnded: (complete: boolean) => void = () => undefined;
  const ended = new Promise<boolean>((resolve) => {
    settleEnded = resolve;
  });
  const body = tapStream(source, {
    onChunk(chunk) {
      bytes += chunk.byteLength;
      if (chunks === undefined) return;
      if (bytes > limitBytes) chunks = undefined;
      else chunks.push(chunk);
    },
    onEnd: (complete) => settleEnded(complete),
  });
  return { body, captured: () => chunks, capturedBytes: () => bytes, ended };
}
