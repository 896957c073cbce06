import type { JsonObject } from '../core/json.ts';

/**
 * The access model, as stored in the ControlStore. Each record is the `data` of one control
 * item; the kind and id layout are listed beside each type. Secrets are never part of a
 * record: gateway keys are stored as their SHA-256 hash, provider secrets live in the KeyVault.
 */

/** Control item kinds owned by the keys module. */
export const ACCESS_KINDS = {
  workspace: 'workspace',
  /** id = SHA-256 hex of the whole key, so a presented key is found with one GetItem. */
  apiKey: 'api-key',
  /** id = the key's public id (`key_…`) → the hash, for admin look-ups by id. */
  apiKeyId: 'api-key-id',
  virtualKey: 'virtual-key',
  principal: 'principal',
  config: 'config',
  /** id = `<config id>#<version, 6 digits>`. */
  configVersion: 'config-version',
  audit: 'audit',
} as const;

/**
 * What a key or principal may use. An absent list means "anything in the workspace"; an empty
 * list means "nothing". Models and providers are matched exactly; `*` suffix wildcards allowed.
 */
export interface AccessScopes {
  providers?: string[];
  models?: string[];
  virtualKeys?: string[];
  configs?: string[];
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  metadata: Record<string, string>;
}

export interface ApiKeyRecord {
  /** Public id, `key_<random>`; safe to show and log. */
  id: string;
  workspaceId: string;
  name: string;
  /** The first characters of the key (`tpk_AbCd`), shown in listings so people recognise it. */
  displayPrefix: string;
  scopes: AccessScopes;
  status: 'active' | 'revoked';
  /** Epoch ms; absent = never expires. */
  expiresAt?: number;
  /** References enforced by the budgets and rate-limit module. */
  rateLimitId?: string;
  budgetId?: string;
  /** Attached to every request log of this key. */
  metadata: Record<string, string>;
  /** Saved config id used when a request sends no config. */
  defaultConfig?: string;
  createdAt: number;
  rotatedAt?: number;
  revokedAt?: number;
}

export type VirtualKeyStatus = 'active' | 'disabled';

export interface VirtualKeyRecord {
  /** The slug callers send in `x-portkey-virtual-key` / `virtual_key`. */
  id: string;
  workspaceId: string;
  name: string;
  provider: string;
  /** Absent = any model. */
  allowedModels?: string[];
  /**
   * Non-secret provider settings merged into the target (aws_region, resource_name,
   * deployment_id, api_version, ...). The secret itself is in the vault under the slug.
   */
  options: Record<string, string>;
  status: VirtualKeyStatus;
  /** A budget every request through this key reserves on, besides the caller's own. */
  budgetId?: string;
  createdAt: number;
  rotatedAt?: number;
  lastUsedAt?: number;
}

export interface PrincipalRecord {
  id: string;
  workspaceId: string;
  name: string;
  /** An IAM ARN, or a pattern with `*` wildcards (`arn:aws:iam::123456789012:role/svc-*`). */
  arnPattern: string;
  scopes: AccessScopes;
  metadata: Record<string, string>;
  defaultConfig?: string;
  rateLimitId?: string;
  budgetId?: string;
}

export interface SavedConfigRecord {
  id: string;
  workspaceId?: string;
  /** The version callers get; rollback moves it back. */
  currentVersion: number;
  latestVersion: number;
  /** The Config object of the current version (kept here so one read serves a request). */
  config: JsonObject;
}

export interface AuditRecord {
  id: string;
  at: number;
  /** Who: an IAM ARN on AWS, `local-admin` locally. */
  actor: string;
  action: string;
  resource: { kind: string; id: string };
  /** Without secrets: hashes and vault contents are never copied here. */
  before?: JsonObject;
  after?: JsonObject;
}

/** Who is calling, once authenticated: a gateway key or an IAM principal. */
export interface CallerIdentity {
  kind: 'api-key' | 'principal' | 'anonymous';
  id: string;
  workspaceId: string | undefined;
  scopes: AccessScopes;
  metadata: Record<string, string>;
  defaultConfig: string | undefined;
  rateLimitId: string | undefined;
  budgetId: string | undefined;
}
