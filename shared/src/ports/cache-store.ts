/** A stored response: bytes the cache module produced (compressed), and when it stops counting. */
export interface CachedValue {
  value: Uint8Array;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch seconds. */
  expiresAt: number;
}

/** Exact-match response cache: get and put by key with an expiry. */
export interface CacheStore {
  /** Largest `value` `put` accepts; larger answers are simply not cached. */
  readonly maxValueBytes: number;
  /** The value, or undefined when absent or expired. */
  get(key: string): Promise<CachedValue | undefined>;
  /** Store (or replace) the value. Rejects with a RangeError above `maxValueBytes`. */
  put(key: string, value: Uint8Array, options: { expiresAt: number }): Promise<void>;
  /** Remove the value; nothing happens when it is absent. */
  delete(key: string): Promise<void>;
}
