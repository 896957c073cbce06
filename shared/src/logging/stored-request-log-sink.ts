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
  store: Pick<LogStore, 'put' | 'putBatch' | 'maxBatchEntries'>;
  clock: Pick<Clock, 'sleep' | 'setTimer'>;
  /** Called once per write that failed every attempt (metric, warning line). */
  onWriteFailure?: (failure: LogWriteFailure) => void;
  /** @default STORED_LOG_RETRY */
  retry?: BackoffPolicy;
  /** Bytes of a streamed answer captured for the log. @default MAX_STREAM_CAPTURE_BYTES (0 when bodies are off) */
  streamCaptureBytes?: number;
  random?: () => number;
  newRequestId?: () => string;
  /**
   * Write records together, up to the store's `maxBatchEntries` at a time (false: each with its
   * own `put`, as soon as its turn comes). @default true
   */
  batchWrites?: boolean;
  /** How long a record may wait for others to share its batch write; `flush()` does not wait. @default BATCH_DELAY_MS */
  batchDelayMs?: number;
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
/**
 * How long a record waits for a full batch. Long enough that a busy server writes in full
 * batches, short enough that a log shows up at once for a person looking; on Lambda every
 * invocation ends with `flush()`, which never waits.
 */
export const BATCH_DELAY_MS = 50;

/** A finished request waiting to be written. */
interface QueuedRecord {
  record: RequestRecord;
  detail: RequestLogDetail | undefined;
  requestId: string;
}

interface BuiltEntry {
  record: RequestRecord;
  requestId: string;
  entry: LogEntry;
}

/** An error's message with its cause's: the stores wrap SDK errors in a generic 503. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.name}: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/**
 * The request log writer: each finished request becomes one LogStore entry (see
 * buildRequestLogEntry). `write` only queues the record. The queue is written in batches of
 * the store's `maxBatchEntries` (one `putBatch`; a batch of one is a `put`), as soon as a batch
 * is full or `batchDelayMs` after its first record, and at once on `flush()`. Redaction, JSON and
 * compression happen when the batch is written, one entry per turn of the event loop, so a
 * request that arrives meanwhile is read between two of them. Entries the store leaves
 * unprocessed, and batches that fail, are retried with exponential backoff; a batch the store
 * refuses as a whole is retried entry by entry, so one bad entry cannot take the others with
 * it. A record that fails every attempt is counted and reported through `onWriteFailure`, never
 * dropped silently. `flush()` waits for every write so far, which the Lambda handler awaits
 * after the last byte so a frozen container loses nothing.
 */
export function createStoredRequestLogSink(options: StoredRequestLogSinkOptions): StoredRequestLogSink {
  const { store, clock } = options;
  const retry = options.retry ?? STORED_LOG_RETRY;
  const random = options.random ?? Math.random;
  const newRequestId = options.newRequestId ?? randomUUID;
  const batchDelayMs = options.batchDelayMs ?? BATCH_DELAY_MS;
  const defer = options.defer ?? ((task: () => void) => void setImmediate(task));
  const nextTurn = (): Promise<void> => new Promise<void>((resolve) => defer(resolve));
  const batchSize = options.batchWrites === false ? 1 : Math.max(1, store.maxBatchEntries);
  let queue: QueuedRecord[] = [];
  const writing = new Set<Promise<void>>();
  let cancelTimer: (() => void) | undefined;
  let sendScheduled = false;
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

  async function build(batch: readonly QueuedRecord[]): Promise<BuiltEntry[]> {
    const built: BuiltEntry[] = [];
    for (const [index, { record, detail, requestId }] of batch.entries()) {
      if (index > 0) await nextTurn();
      try {
        built.push({ record, requestId, entry: await buildEntry({ record, detail, requestId, bodies: options.bodies, retentionDays: options.retentionDays }) });
      } catch (error) {
        fail(record, requestId, 0, error);
      }
    }
    return built;
  }

  /** One try of writing `pending`: what is left to write, and why. */
  async function tryWrite(pending: readonly BuiltEntry[], oneByOne: boolean): Promise<{ left: BuiltEntry[]; error: unknown; refused: boolean }> {
    if (oneByOne || pending.length === 1) {
      const results = await Promise.allSettled(pending.map((built) => store.put(built.entry)));
      const rejected = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      return { left: pending.filter((_, index) => results[index]?.status === 'rejected'), error: rejected[0], refused: false };
    }
    try {
      const unwritten = new Set(await store.putBatch(pending.map((built) => built.entry)));
      return { left: pending.filter((built) => unwritten.has(built.entry)), error: new Error('left unprocessed by the store (throttled)'), refused: false };
    } catch (error) {
      return { left: [...pending], error, refused: true };
    }
  }

  async function writeWithRetries(built: readonly BuiltEntry[]): Promise<void> {
    let pending: readonly BuiltEntry[] = built;
    let oneByOne = false;
    const result = await retryWithBackoff(
      async () => {
        const attempt = await tryWrite(pending, oneByOne);
        // A batch refused as a whole may hold one entry the store will never take (too large,
        // invalid): from then on each entry is tried alone.
        if (attempt.refused && pending.length > 1) oneByOne = true;
        pending = attempt.left;
        if (pending.length > 0) throw attempt.error;
      },
      retry,
      clock,
      random,
    );
    if (!result.ok) for (const { record, requestId } of pending) fail(record, requestId, result.attempts, result.error);
  }

  async function writeBatch(batch: readonly QueuedRecord[]): Promise<void> {
    const built = await build(batch);
    if (built.length > 0) await writeWithRetries(built);
  }

  function startTimer(): void {
    cancelTimer ??= clock.setTimer(batchDelayMs, () => {
      cancelTimer = undefined;
      sendQueued(true);
    });
  }

  /** Start writing the queue in batches: every record, or only full batches (the rest keeps waiting). */
  function sendQueued(everything: boolean): void {
    cancelTimer?.();
    cancelTimer = undefined;
    const count = everything ? queue.length : queue.length - (queue.length % batchSize);
    const queued = queue.slice(0, count);
    queue = queue.slice(count);
    if (queue.length > 0) startTimer();
    for (let start = 0; start < queued.length; start += batchSize) {
      const batch = queued.slice(start, start + batchSize);
      const task = writeBatch(batch).catch((error: unknown) => {
        // writeBatch reports every record it cannot write and does not throw; should a bug make
        // it throw, its records are still counted rather than lost without a word.
        for (const { record, requestId } of batch) fail(record, requestId, 0, error);
      });
      writing.add(task);
      void task.finally(() => writing.delete(task));
    }
  }

  function scheduleFullBatches(): void {
    if (sendScheduled) return;
    sendScheduled = true;
    defer(() => {
      sendScheduled = false;
      sendQueued(false);
    });
  }

  return {
    streamCaptureBytes: options.streamCaptureBytes ?? (options.bodies === 'off' ? 0 : MAX_STREAM_CAPTURE_BYTES),
    get failedWrites() {
      return failedWrites;
    },
    write(record, detail) {
      queue.push({ record, detail, requestId: newRequestId() });
      if (queue.length >= batchSize) scheduleFullBatches();
      else startTimer();
    },
    async flush() {
      // Records of streams arrive through promise chains that may still be settling.
      await nextTurn();
      while (queue.length > 0 || writing.size > 0) {
        if (queue.length > 0) sendQueued(true);
        await Promise.allSettled([...writing]);
      }
    },
  };
}
