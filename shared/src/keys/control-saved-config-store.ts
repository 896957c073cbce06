import type { JsonValue } from '../core/json.ts';
import type { Clock } from '../ports/clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
import { createAccessCache } from './access-cache.ts';

/** The control item kind of a saved config; its `data.config` holds the Config object. */
export const SAVED_CONFIG_KIND = 'config';

export interface ControlSavedConfigStoreOptions {
  control: ControlStore;
  /** How long an answer (found or not) is reused, at most 10 s (as for keys). @default 5_000 */
  ttlMs?: number;
  /** Most ids kept; the oldest is dropped first. @default 500 */
  maxEntries?: number;
  clock?: Pick<Clock, 'now'>;
}

/**
 * Saved configs read from the ControlStore (`kind = config`, `id` = the config id), kept in
 * memory for a few seconds so a hot config costs no read per request; concurrent look-ups of
 * one id share one read, and failed reads are not kept. An edit shows within `ttlMs`.
 */
export function createControlSavedConfigStore(options: ControlSavedConfigStoreOptions): SavedConfigStore {
  const ttlMs = options.ttlMs ?? 5_000;
  const cache = createAccessCache<JsonValue>({
    ttlMs,
    negativeTtlMs: ttlMs,
    maxEntries: options.maxEntries ?? 500,
    clock: options.clock ?? { now: () => Date.now() },
  });
  return {
    get: (id) => cache.get(id, () => options.control.get(SAVED_CONFIG_KIND, id).then((item) => item?.data.config)),
  };
}
