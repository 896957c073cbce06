import type { JsonValue } from '../core/json.ts';

/** Saved Config objects, loaded by id from `x-portkey-config: <id>`. */
export interface SavedConfigStore {
  /** The stored (not yet validated) Config, or undefined when no config has that id. */
  get(id: string): Promise<JsonValue | undefined>;
}
