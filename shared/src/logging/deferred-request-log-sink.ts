import type { RequestLogDetail, RequestLogSink, RequestRecord } from '../ports/request-log-sink.ts';

/**
 * A sink whose real sink is made on first use. Records that arrive before it exists wait in
 * order and are handed over as soon as it does; `flush` waits for it, then flushes it. The
 * gateway's first record is written after its response, so a heavy sink (Powertools on AWS)
 * costs the first invocation's tail instead of every cold start.
 */
export function createDeferredRequestLogSink(load: () => Promise<RequestLogSink>, onLoadFailure?: (error: unknown) => void): RequestLogSink {
  let sink: RequestLogSink | undefined;
  let loading: Promise<void> | undefined;
  let waiting: [RequestRecord, RequestLogDetail | undefined][] = [];

  function start(): Promise<void> {
    loading ??= load().then(
      (loaded) => {
        sink = loaded;
        const queued = waiting;
        waiting = [];
        for (const [record, detail] of queued) loaded.write(record, detail);
      },
      (error: unknown) => {
        // Records cannot be written anywhere; drop them and let the next record try again.
        waiting = [];
        loading = undefined;
        onLoadFailure?.(error);
      },
    );
    return loading;
  }

  return {
    write(record, detail) {
      if (sink !== undefined) {
        sink.write(record, detail);
        return;
      }
      waiting.push([record, detail]);
      void start();
    },
    async flush() {
      if (sink === undefined && waiting.length > 0) await start();
      await sink?.flush?.();
    },
  };
}
