import type { JsonObject } from '../core/json.ts';
import type { Page, PageRequest } from './page.ts';

/**
 * One typed item of the control plane. `kind` says what it is and who owns its `data`:
 * `api-key` (id = SHA-256 hex of the key), `virtual-key`, `config`, `config-version`,
 * `workspace`, `principal`, `prompt`, `audit`, … The store never looks inside `data`;
 * the feature module that owns the kind validates it when reading.
 */
export interface ControlItem {
  kind: string;
  /** Unique within its kind. Compose ids (`<workspace>/<slug>`, `<config>#000007`) to list by prefix. */
  id: string;
  data: JsonObject;
  /** 1 when created, one more after each successful `putIfVersion`. */
  version: number;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Epoch milliseconds. */
  updatedAt: number;
  /** Epoch seconds after which the item no longer exists for readers; absent = never expires. */
  expiresAt?: number;
}

/** What a caller supplies to write an item; the store keeps `version` and the timestamps. */
export interface ControlItemInput {
  kind: string;
  id: string;
  data: JsonObject;
  /** Epoch seconds; absent = never expires. */
  expiresAt?: number;
}

export interface ControlListOptions extends PageRequest {
  /** Only ids that start with this text. */
  idPrefix?: string;
}

/**
 * Control-plane items (api keys by hash, virtual-key metadata, saved configs and their
 * versions, workspaces, principals, audit records). Every write is a single-item
 * conditional write, so two admins racing cannot overwrite each other: the loser gets
 * `undefined` / `false` and re-reads. Expired items read as absent.
 */
export interface ControlStore {
  /** The item, or undefined when absent or expired. */
  get(kind: string, id: string): Promise<ControlItem | undefined>;
  /** Create the item at version 1; undefined (nothing written) when a live item has that id. */
  putIfAbsent(input: ControlItemInput): Promise<ControlItem | undefined>;
  /**
   * Replace the data and expiry (absent = never expires) of a live item whose version is
   * `expectedVersion`, bumping the version and keeping `createdAt`; undefined (nothing
   * written) when the item is absent, expired or at another version.
   */
  putIfVersion(input: ControlItemInput, expectedVersion: number): Promise<ControlItem | undefined>;
  /** Delete the item (only at `expectedVersion` when given); false when nothing matched. */
  delete(kind: string, id: string, expectedVersion?: number): Promise<boolean>;
  /** Live items of one kind in id order. */
  list(kind: string, options?: ControlListOptions): Promise<Page<ControlItem>>;
}
