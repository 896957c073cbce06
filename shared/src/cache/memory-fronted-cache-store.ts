import type { CachedValue, CacheStore } from '../ports/cache-store.ts';

export interface MemoryFrontOptions {
  /** Most bytes of cached answers kept in memory; the least recently used go first. */
  maxBytes: number;
  /**
   * How long an answer read from (or written to) the store is served from memory before the
   * store is asked again. Bounds how long this process keeps serving an answer that another
   * process has since refreshed or deleted.
   */
  maxAgeMs: number;
  /** Epoch milliseconds. */
  now: () => number;
}

interface Entry {
  value: CachedValue;
  /** Epoch ms after which the store is asked again. */
  freshUntil: number;
}

/**
 * The response cache store with a small in-memory layer in front: a hot answer is served by
 * a warm process (a Lambda container, the local server) without a DynamoDB read, which costs
 * more than the rest of a cache hit. Expired answers are never served (the store's own
 * `expiresAt` still applies); writes and deletes here go through to the store first.
 */
export function createMemoryFrontedCacheStore(store: CacheStore, options: MemoryFrontOptions): CacheStore {
  // A Map iterates in insertion order: re-inserting on use makes its first key the least recently used.
  const entries = new Map<string, Entry>();
  let bytes = 0;

  function forget(key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    bytes -= entry.value.value.byteLength;
  }

  function remember(key: string, value: CachedValue): void {
    forget(key);
    const size = value.value.byteLength;
    if (size > options.maxBytes) return;
    entries.set(key, { value, freshUntil: options.now() + options.maxAgeMs });
    bytes += size;
    for (const oldest of entries.keys()) {
      if (bytes <= options.maxBytes) break;
      forget(oldest);
    }
  }

  return {
    get maxValueBytes() {
      return store.maxValueBytes;
    },

    async get(key) {
      const entry = entries.get(key);
      const now = options.now();
      if (entry !== undefined) {
        if (entry.freshUntil > now && entry.value.expiresAt * 1000 > now) {
          entries.delete(key);
          entries.set(key, entry);
          return entry.value;
        }
        forget(key);
      }
      const value = await store.get(key);
      if (value !== undefined) remember(key, value);
      return value;
    },

    async put(key, value, putOptions) {
      // Dropped first: if the write fails, no stale copy outlives it here.
      forget(key);
      await store.put(key, value, putOptions);
      remember(key, { value, createdAt: options.now(), expiresAt: putOptions.expiresAt });
    },

    async delete(key) {
      forget(key);
      await store.delete(key);
    },
  };
}
