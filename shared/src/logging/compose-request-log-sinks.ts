import type { RequestLogSink } from '../ports/request-log-sink.ts';

/**
 * One sink that hands each record to all of `sinks` (the stored log, then telemetry). A sink
 * that throws does not keep the record from the others; `flush` waits for all of them; the
 * engine captures as much of a stream as the most demanding sink wants.
 */
export function composeRequestLogSinks(sinks: readonly RequestLogSink[]): RequestLogSink {
  const captures = sinks.flatMap((sink) => (sink.streamCaptureBytes === undefined ? [] : [sink.streamCaptureBytes]));
  const flushing = sinks.filter((sink) => sink.flush !== undefined);
  const composed: RequestLogSink = {
    write(record, detail) {
      for (const sink of sinks) {
        try {
          sink.write(record, detail);
        } catch {
          // Sinks must not throw; one that does still leaves the others their record.
        }
      }
    },
    async flush() {
      await Promise.allSettled(flushing.map((sink) => sink.flush?.()));
    },
  };
  return captures.length === 0 ? composed : { ...composed, streamCaptureBytes: Math.max(...captures) };
}
