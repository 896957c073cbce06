import type { Clock } from '../ports/clock.ts';

/** Longest any access answer may be reused: a revoked key must stop working within this. */
export const MAX_ACCESS_CACHE_TTL_MS = 10_000;
/** @default for `ttlMs` */
export const DEFAULT_ACCESS_CACHE_TTL_MS = 5_000;

export interface AccessCacheOptions {
  /** How long a found value is reused; capped at MAX_ACCESS_CACHE_TTL_MS. @default 5_000 */
  ttlMs?: number;
  /** How long "not found" is reused. @default a fifth of ttlMs, at least 100 ms */
  negativeTtlMs?: number;
  /** Most entries kept; the oldest goes first. @default 1_000 */
  maxEntries?: number;
  clock: Pick<Clock, 'now'>;
}

/** A bounded, time-limited memo of look-ups by key. */
export interface AccessCache<T> {
  /** The cached answer, or `load()`'s; concurrent calls for one key share one load. */
  get(key: string, load: () => Promise<T | undefined>): Promise<T | undefined>;
  /** Forget one key (after a write by this process). */
  delete(key: string): void;
  readonly size: number;
}

interface Entry<T> {
  expiresAt: number;
  value: Promise<T | undefined>;
}

/**
 * Look-ups of keys, principals and virtual keys, kept for a few seconds per Lambda container
 * so a hot key costs no read per request. Not-found answers are kept too (so a flood of bad
 * keys cannot turn into a flood of reads) but for less time, so a key created a moment ago
 * works quickly. Failed loads are never kept. Map order is insertion order: the first entry is
 * the oldest, and it is dropped when the map is full.
 */
export function createAccessCache<T>(options: AccessCacheOptions): AccessCache<T> {
  const ttlMs = Math.min(Math.max(options.ttlMs ?? DEFAULT_ACCESS_CACHE_TTL_MS, 0), MAX_ACCESS_CACHE_TTL_MS);
  const negativeTtlMs = Math.min(options.negativeTtlMs ?? Math.max(Math.floor(ttlMs / 5), Math.min(100, ttlMs)), ttlMs);
  const maxEntries = Math.max(options.maxEntries ?? 1_000, 1);
  const entries = new Map<string, Entry<T>>();

  return {
    get(key, load) {
      const now = options.clock.now();
      const cached = entries.get(key);
      if (cached !== undefined && cached.expiresAt > now) return cached.value;
      entries.delete(key);
      const value = load();
      const entry: Entry<T> = { expiresAt: now + ttlMs, value };
      entries.set(key, entry);
      value.then(
        (found) => {
          // The lifetime counts from the read's start, so an answer is never older than the TTL.
          if (found === undefined && entries.get(key) === entry) entry.expiresAt = now + negativeTtlMs;
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done === true) break;
        entries.delete(oldest.value);
      }
      return value;
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
