import { createHash } from 'node:crypto';
import type { JsonObject } from '../core/json.ts';
import { canonicalJson } from './canonical-json.ts';

/** The endpoints whose answers the cache keeps. */
export type CacheableEndpoint = 'chat.completions' | 'completions' | 'embeddings';

/** Where an answer comes from, besides the request body. */
export interface CacheScope {
  /** Tenants never share entries: the workspace is part of every key. */
  workspaceId: string;
  endpoint: CacheableEndpoint;
  /** The provider of the leaf target that would answer. */
  provider: string;
  customHost: string | undefined;
  /** Provider settings of the target (deployment, region, API version, ...). */
  options: Readonly<Record<string, string>>;
}

/**
 * Body fields that do not change the answer: how it is delivered (`stream`,
 * `stream_options`; a cached answer replays as either form) and who asked (`user`,
 * `metadata`). Trace ids and Portkey metadata travel in headers and never reach the key.
 */
const DELIVERY_FIELDS: ReadonlySet<string> = new Set(['stream', 'stream_options', 'user', 'metadata']);

/** Credentials in provider settings: they choose an account, not an answer, and must not be hashed into keys. */
const CREDENTIAL_OPTIONS: ReadonlySet<string> = new Set(['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token']);

// Bump when the canonical form or the stored value's format changes: old entries then simply miss.
const KEY_VERSION = 1;

function withoutFields(object: JsonObject, fields: ReadonlySet<string>): JsonObject {
  const kept: JsonObject = {};
  for (const [name, value] of Object.entries(object)) if (!fields.has(name)) kept[name] = value;
  return kept;
}

function answerOptions(options: Readonly<Record<string, string>>): JsonObject {
  const kept: JsonObject = {};
  for (const [name, value] of Object.entries(options)) if (!CREDENTIAL_OPTIONS.has(name)) kept[name] = value;
  return kept;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function scopeJson(scope: Omit<CacheScope, 'workspaceId'>): JsonObject {
  return {
    endpoint: scope.endpoint,
    provider: scope.provider,
    customHost: scope.customHost ?? null,
    options: answerOptions(scope.options),
  };
}

/**
 * The exact-match key of an answer: a SHA-256 of the canonical JSON of the workspace, the
 * resolved target (provider, custom host, provider settings) and the request body after
 * `override_params` (model, messages or prompt or input, every generation parameter),
 * without the delivery fields.
 */
export function responseCacheKey(scope: CacheScope, body: JsonObject): string {
  return sha256Hex(
    canonicalJson({
      version: KEY_VERSION,
      workspaceId: scope.workspaceId,
      ...scopeJson(scope),
      body: withoutFields(body, DELIVERY_FIELDS),
    }),
  );
}

/**
 * The semantic cache's parameter hash: everything that must match exactly for two requests
 * to share an answer by similarity, i.e. the target, the generation parameters, the system
 * instructions and the embedder, but not the prompt text that is compared by embedding.
 * `promptFields` are the body fields that hold that text (`messages` or `prompt`).
 */
export function semanticParametersHash(
  scope: Omit<CacheScope, 'workspaceId'>,
  body: JsonObject,
  promptFields: readonly string[],
  instructions: readonly string[],
  embedderId: string,
): string {
  const excluded = new Set([...DELIVERY_FIELDS, ...promptFields, 'model']);
  return sha256Hex(
    canonicalJson({
      version: KEY_VERSION,
      ...scopeJson(scope),
      parameters: withoutFields(body, excluded),
      instructions: [...instructions],
      embedder: embedderId,
    }),
  ).slice(0, 32);
}
