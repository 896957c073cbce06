/** Operator settings of the response cache (the Config's `cache` is what a request asks for). */
export interface ResponseCacheSettings {
  /** Lowest cosine similarity a semantic hit needs, in (0, 1]. @default 0.95 */
  semanticThreshold: number;
  /** Requests with more messages than this use simple mode even when semantic is asked. @default 4 */
  semanticMaxMessages: number;
  /** Bytes of cached answers a process keeps in memory in front of the Cache table; 0 turns it off. @default 16 MiB */
  memoryBytes?: number | undefined;
  /** How long a process serves an answer from memory before it reads the table again. @default 10_000 */
  memoryMaxAgeMs?: number | undefined;
}

export const DEFAULT_RESPONSE_CACHE_SETTINGS: ResponseCacheSettings = {
  semanticThreshold: 0.95,
  semanticMaxMessages: 4,
  memoryBytes: 16 * 1024 * 1024,
  memoryMaxAgeMs: 10_000,
};

/** `max_age` when the Config gives none: a week, as long as a cached answer stays useful to most apps. */
export const DEFAULT_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;
