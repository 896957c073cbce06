import type { JsonValue } from '../core/json.ts';
import type { Clock } from '../ports/clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';

/** The control item kind of a saved config; its `data.config` holds the Config object. */
export const SAVED_CONFIG_KIND = 'config';

export interface ControlSavedConfigStoreOptions {
  control: ControlStore;
  /** How long an answer (found or not) is reused. @default 5_000 */
  ttlMs?: number;
  /** Most ids kept; the oldest is dropped first. @default 500 */
  maxEntries?: number;
  clock?: Pick<Clock, 'now'>;
}

interface CacheEntry {
  expiresAt: number;
  config: Promise<JsonValue | undefined>;
}

/**
 * Saved configs read from the ControlStore (`kind = config`, `id` = the config id), kept in
 * memory for a few seconds so a hot config costs no read per request; concurrent look-ups of
 * one id share one read, and failed reads are not kept. An edit shows within `ttlMs`.
 */
export function createControlSavedConfigStore(options: ControlSavedConfigStoreOptions): SavedConfigStore {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 500;
  const clock = options.clock ?? { now: () => Date.now() };
  const cache = new Map<string, CacheEntry>();

  return {
    get(id) {
      const cached = cache.get(id);
      if (cached !== undefined && cached.expiresAt > clock.now()) return cached.config;
      cache.delete(id);
      const config = options.control.get(SAVED_CONFIG_KIND, id).then((item) => item?.data.config);
      const entry: CacheEntry = { expiresAt: clock.now() + ttlMs, config };
      cache.set(id, entry);
      config.catch(() => {
        if (cache.get(id) === entry) cache.delete(id);
      });
      // Map keeps insertion order, so the first key is the oldest entry.
      while (cache.size > maxEntries) {
        const oldest = cache.keys().next();
        if (oldest.done === true) break;
        cache.delete(oldest.value);
      }
      return config;
    },
  };
}
