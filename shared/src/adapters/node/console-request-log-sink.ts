import type { LogWriteFailure, RequestLogSink, RequestRecord } from '../../ports/request-log-sink.ts';

/**
 * Writes one JSON line per finished request to stdout, where Lambda sends it to CloudWatch
 * Logs and the local server shows it. Bodies and credentials are never part of a record.
 */
export function createConsoleRequestLogSink(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): RequestLogSink {
  return {
    write(record: RequestRecord) {
      write(JSON.stringify({ level: 'info', message: 'request', ...record }));
    },
  };
}

/** A sink that drops records, for benchmarks and operators who turn request logging off. */
export const discardingRequestLogSink: RequestLogSink = { write: () => undefined };

/**
 * Reports a request log write that failed every attempt as one JSON warning line on stderr
 * (ids and the error only, never the bodies). Locally the stored sink also counts them.
 */
export function createConsoleLogWriteFailureReporter(
  write: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): (failure: LogWriteFailure) => void {
  return (failure) => write(JSON.stringify({ level: 'warn', message: 'request log write failed', ...failure }));
}
