import type { JsonObject } from '../core/json.ts';
import type { Usage } from '../core/usage.ts';

/** What the engine knows about one request once its last byte has been sent. */
export interface RequestRecord {
  traceId: string;
  /** From `x-portkey-span-id`, `x-portkey-parent-span-id` and `x-portkey-span-name`. */
  spanId?: string | undefined;
  parentSpanId?: string | undefined;
  spanName?: string | undefined;
  method: string;
  path: string;
  endpoint: string;
  provider: string | undefined;
  model: string | undefined;
  status: number;
  stream: boolean;
  startedAt: number;
  /** Milliseconds from arrival to the last byte. */
  latencyMs: number;
  /** Milliseconds from arrival until the answer's headers were ready (time to first byte). */
  firstByteMs: number | undefined;
  /** Milliseconds from the start of routing until the provider's answer started (retries included). */
  upstreamLatencyMs?: number | undefined;
  /** Milliseconds from arrival to the first body chunk of a stream (the answer itself otherwise). */
  timeToFirstTokenMs?: number | undefined;
  retryAttempts: number;
  lastUsedOptionIndex: string | undefined;
  usage: Usage | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  /** The caller's key metadata with the request's `x-portkey-metadata` on top. */
  metadata: Readonly<Record<string, string>>;
  /** The gateway key's id, or the IAM principal's id; absent for anonymous local calls. */
  apiKeyId?: string | undefined;
  workspaceId?: string | undefined;
  /** The IAM caller's ARN, on the AWS_IAM function URL. */
  principalArn?: string | undefined;
  /** The virtual key of the target that answered last. */
  virtualKeyId?: string | undefined;
  /** The `x-portkey-cache-status` answered; absent means the cache was not consulted (DISABLED). */
  cacheStatus?: 'DISABLED' | 'MISS' | 'HIT' | 'SEMANTIC HIT' | 'REFRESH';
  /**
   * How storing the answer in the cache ended, when it was tried: `too_large` answers (over
   * the store's item limit even compressed) are not cached and are counted through this field.
   */
  cacheWrite?: 'stored' | 'too_large' | 'failed';
  /** USD, from the price table and the usage the provider reported; 0 for cache hits and unknown models. */
  cost?: number | undefined;
  /** The price table has no price for this provider and model, so `cost` is 0. */
  costUnknownModel?: boolean | undefined;
  /** What guardrails decided; absent when no target of the Config has one. */
  guardrails?: GuardrailLogSummary | undefined;
}

/** One guardrail check that failed, on one target the request tried. */
export interface GuardrailFailure {
  /** The target's Config path (`config.targets[0]`). */
  target: string;
  hook: 'input' | 'output';
  /** The guardrail's id (`hook_results[].id`). */
  guardrail: string;
  /** The check's id (`default.contains`). */
  check: string;
  /** The guardrail has `deny: true`. */
  deny: boolean;
  /** The failure changed nothing but this log: an `async` guardrail, or an output guardrail of a streamed answer. */
  logOnly: boolean;
}

/** The guardrail outcome of a request, compact: verdicts and failed check ids, never check data or text. */
export interface GuardrailLogSummary {
  /**
   * `denied`: refused with 446. `failed`: a check failed and the answer still went out (246, or
   * only logged). `passed`: every check passed. `skipped`: the endpoint is one guardrails do not
   * apply to (images, audio, passthrough).
   */
  verdict: 'passed' | 'failed' | 'denied' | 'skipped';
  denied: boolean;
  /** Checks run, over every target tried. */
  checks: number;
  /** Failed checks, over every target tried (a fallback's first target included). */
  failed: GuardrailFailure[];
}

/** The answer's body as the engine hands it to the request log. */
export type LoggedResponseBody =
  | { kind: 'complete'; body: Uint8Array; contentType: string | undefined }
  /** The first bytes of a streamed answer, up to the sink's `streamCaptureBytes`. */
  | { kind: 'stream'; chunks: readonly Uint8Array[]; totalBytes: number; truncated: boolean }
  /** Audio and passthrough bytes, never captured. */
  | { kind: 'binary'; contentType: string | undefined };

/** What a sink may keep besides the record: the bodies, for the sinks that store them. */
export interface RequestLogDetail {
  /** The caller's body as the gateway read it: parsed JSON, or raw bytes for other endpoints. */
  requestBody: JsonObject | Uint8Array | undefined;
  requestContentType: string | undefined;
  responseBody: LoggedResponseBody | undefined;
  /**
   * The caller's headers, read only to learn which credentials came with the request so they
   * can be scrubbed from anything stored. Never stored themselves.
   */
  requestHeaders: Headers | undefined;
}

/** A request log write that failed every attempt; it names the request and never carries its bodies. */
export interface LogWriteFailure {
  traceId: string;
  requestId: string;
  attempts: number;
  error: string;
}

/** Receives each finished request. Must not throw and must not block the response. */
export interface RequestLogSink {
  write(record: RequestRecord, detail?: RequestLogDetail): void;
  /**
   * How many bytes of a streamed answer the sink wants in `detail.responseBody`. Present means
   * the engine observes streams (0: timing only); absent, streams go out untouched.
   */
  readonly streamCaptureBytes?: number;
  /** Resolves once every write so far is settled; never rejects. Lambda awaits it before freezing. */
  flush?(): Promise<void>;
}
