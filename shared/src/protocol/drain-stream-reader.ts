/** How much of a finished answer's tail is read before the connection is given up instead. */
export interface DrainLimits {
  /** @default 65_536 */
  maxBytes: number;
  /** @default 1_000 */
  maxMs: number;
}

export const DEFAULT_DRAIN_LIMITS: DrainLimits = { maxBytes: 64 * 1024, maxMs: 1_000 };

/**
 * Read and drop what is left of an upstream body whose answer is already complete (an SSE
 * stream after `[DONE]`), so that its keep-alive connection goes back to the pool. Cancelling
 * instead would close the connection, and the next call would pay for a new one (a TLS
 * handshake with a real provider). Bounded: past `maxBytes` or `maxMs` the body is cancelled.
 * Never rejects; resolves once the body has ended or been cancelled.
 */
export function drainStreamReader(reader: ReadableStreamDefaultReader<Uint8Array>, limits: DrainLimits = DEFAULT_DRAIN_LIMITS): Promise<void> {
  return new Promise<void>((resolve) => {
    let bytes = 0;
    let settled = false;
    const settle = (cancel: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (cancel) reader.cancel().catch(() => undefined);
      resolve();
    };
    const timer = setTimeout(() => settle(true), limits.maxMs);
    // A pending drain must not keep a process alive that has nothing else to do.
    timer.unref?.();
    const readNext = (): void => {
      reader.read().then(
        (result) => {
          if (settled) return;
          if (result.done) {
            settle(false);
            return;
          }
          bytes += result.value.byteLength;
          if (bytes > limits.maxBytes) settle(true);
          else readNext();
        },
        // A body that breaks while draining is already closed: nothing to cancel.
        () => settle(false),
      );
    };
    readNext();
  });
}
