import type { Usage } from '../core/usage.ts';

/** What the engine knows about one request once its last byte has been sent. */
export interface RequestRecord {
  traceId: string;
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
  retryAttempts: number;
  lastUsedOptionIndex: string | undefined;
  usage: Usage | undefined;
  errorCode: string | undefined;
  errorMessage: string | undefined;
  metadata: Readonly<Record<string, string>>;
  /** The `x-portkey-cache-status` answered; absent means the cache was not consulted (DISABLED). */
  cacheStatus?: 'DISABLED' | 'MISS' | 'HIT' | 'SEMANTIC HIT' | 'REFRESH';
}

/** Receives each finished request. Must not throw and must not block the response. */
export interface RequestLogSink {
  write(record: RequestRecord): void;
}
