import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock.ts';
import type { LogStore } from '../ports/log-store.ts';
import type { LogBodyMode } from '../ports/request-log-document.ts';
import type { LogWriteFailure, RequestLogDetail, RequestLogSink, RequestRecord } from '../ports/request-log-sink.ts';
import type { LogEntry } from '../ports/log-store.ts';
import type { RequestLogEntryInput } from './build-request-log-entry.ts';
import { type BackoffPolicy, retryWithBackoff } from './retry-with-backoff.ts';

/** What a deployment decides about stored request logs. */
export interface RequestLogStorageSettings {
  bodies: LogBodyMode;
  /** How long a log is kept (`expiresAt`); DynamoDB's TTL deletes it after. */
  retentionDays: number;
}

export interface StoredRequestLogSinkOptions extends RequestLogStorageSettings {
  store: Pick<LogStore, 'put'>;
  clock: Pick<Clock, 'sleep'>;
  /** Called once per write that failed every attempt (metric, warning line). */
  onWriteFailure?: (failure: LogWriteFailure) => void;
  /** @default STORED_LOG_RETRY */
  retry?: BackoffPolicy;
  /** Bytes of a streamed answer captured for the log. @default MAX_STREAM_CAPTURE_BYTES (0 when bodies are off) */
  streamCaptureBytes?: number;
  random?: () => number;
  newRequestId?: () => string;
  /** Runs the work of a write later. @default setImmediate: after the answer's bytes are on their way */
  defer?: (task: () => void) => void;
}

/** A RequestLogSink that stores every record in a LogStore. */
export interface StoredRequestLogSink extends RequestLogSink {
  readonly streamCaptureBytes: number;
  /** Writes that failed every attempt since start (the local counterpart of the LogWriteFailures metric). */
  readonly failedWrites: number;
  flush(): Promise<void>;
}

/** Five tries over about three seconds: a throttled table usually recovers within that. */
export const STORED_LOG_RETRY: BackoffPolicy = { attempts: 5, baseDelayMs: 200, maxDelayMs: 2_000 };
/** The most of a streamed answer kept for the log; the stored bodies are cut further to fit an item. */
export const MAX_STREAM_CAPTURE_BYTES = 1_048_576;

/** An error's message with its cause's: the stores wrap SDK errors in a generic 503. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.name}: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * The request log writer: each finished request becomes one LogStore entry (see
 * buildRequestLogEntry). `write` only schedules the work, which starts after the current
 * turn of the event loop, when the answer's bytes have been handed to the socket; redaction
 * and JSON happen then, compression on the thread pool. A failed put is retried with
 * exponential backoff; a write that fails every attempt is counted and reported through
 * `onWriteFailure`, never dropped silently. `flush()` waits for every write so far, which the
 * Lambda handler awaits after the last byte so a frozen container loses nothing.
 */
export function createStoredRequestLogSink(options: StoredRequestLogSinkOptions): StoredRequestLogSink {
  const retry = options.retry ?? STORED_LOG_RETRY;
  const newRequestId = options.newRequestId ?? randomUUID;
  const defer = options.defer ?? ((task: () => void) => void setImmediate(task));
  const pending = new Set<Promise<void>>();
  let failedWrites = 0;

  function fail(record: RequestRecord, requestId: string, attempts: number, error: unknown): void {
    failedWrites++;
    try {
      options.onWriteFailure?.({ traceId: record.traceId, requestId, attempts, error: describe(error) });
    } catch {
      // A broken reporter must not turn a lost log into a crash.
    }
  }

  // Redaction and compression load with the first write, after its response: a cold start
  // that answers before it logs does not wait for them.
  let builder: Promise<(input: RequestLogEntryInput) => Promise<LogEntry>> | undefined;
  const buildEntry = async (input: RequestLogEntryInput): Promise<LogEntry> => {
    builder ??= import('./build-request-log-entry.ts').then((module) => module.buildRequestLogEntry);
    return (await builder)(input);
  };

  async function persist(record: RequestRecord, detail: RequestLogDetail | undefined, requestId: string): Promise<void> {
    let entry;
    try {
      entry = await buildEntry({ record, detail, requestId, bodies: options.bodies, retentionDays: options.retentionDays });
    } catch (error) {
      fail(record, requestId, 0, error);
      return;
    }
    const stored = entry;
    const result = await retryWithBackoff(() => options.store.put(stored), retry, options.clock, options.random);
    if (!result.ok) fail(record, requestId, result.attempts, result.error);
  }

  return {
    streamCaptureBytes: options.streamCaptureBytes ?? (options.bodies === 'off' ? 0 : MAX_STREAM_CAPTURE_BYTES),
    get failedWrites() {
      return failedWrites;
    },
    write(record, detail) {
      const requestId = newRequestId();
      const task = new Promise<void>((resolve) => defer(resolve)).then(() => persist(record, detail, requestId));
      pending.add(task);
      void task.finally(() => pending.delete(task));
    },
    async flush() {
      // Records of streams arrive through promise chains that may still be settling.
      await new Promise<void>((resolve) => defer(resolve));
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}
