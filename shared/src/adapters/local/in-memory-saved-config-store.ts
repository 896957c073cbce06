import type { JsonValue } from '../../core/json.ts';
import type { SavedConfigStore } from '../../ports/saved-config-store.ts';

/** Saved configs from the local config file, held in memory. */
export function createInMemorySavedConfigStore(configs: Readonly<Record<string, JsonValue>>): SavedConfigStore {
  const byId = new Map(Object.entries(configs));
  return { get: async (id) => byId.get(id) };
}
