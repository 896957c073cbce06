import * as z from '../protocol/zod-mini-english.ts';
import type { AccessScopes } from '../keys/access-records.ts';

/**
 * Field schemas the admin resources share. Wire names are snake_case (the API), stored records
 * are camelCase (access-records.ts); the resource files convert between the two.
 */

/**
 * Ids chosen by the operator (workspaces, virtual keys, principals, configs). No `#` or `/` so
 * they compose into control ids (`<config>#000001`) and secret names without ambiguity.
 */
export const SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const slugSchema = z.string().check(
  z.regex(SLUG_PATTERN, 'must be 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit'),
);

export const nameSchema = z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters'));

/** Free-form labels copied onto request logs. */
export const metadataSchema = z.record(
  z.string().check(z.minLength(1, 'metadata keys must not be empty'), z.maxLength(64, 'metadata keys are at most 64 characters')),
  z.string().check(z.maxLength(1024, 'metadata values are at most 1024 characters')),
).check(z.refine((value) => Object.keys(value).length <= 64, 'at most 64 entries'));

const scopeList = z.array(z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(200, 'must be at most 200 characters'))).check(
  z.maxLength(500, 'at most 500 entries'),
);

/** `{providers?, models?, virtual_keys?, configs?}`: absent = everything in the workspace, [] = nothing. */
export const scopesSchema = z.strictObject({
  providers: z.optional(scopeList),
  models: z.optional(scopeList),
  virtual_keys: z.optional(scopeList),
  configs: z.optional(scopeList),
});
export type ScopesInput = z.infer<typeof scopesSchema>;

/** An ISO-8601 date-time with a zone (`2026-01-31T00:00:00Z`). */
export const isoTimestampSchema = z.string().check(
  z.refine((value) => /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) && Number.isFinite(Date.parse(value)), 'must be an ISO-8601 date-time with a time zone'),
);

/** The wire scopes as stored. */
export function scopesFromInput(input: ScopesInput | undefined): AccessScopes {
  if (input === undefined) return {};
  const scopes: AccessScopes = {};
  if (input.providers !== undefined) scopes.providers = input.providers;
  if (input.models !== undefined) scopes.models = input.models;
  if (input.virtual_keys !== undefined) scopes.virtualKeys = input.virtual_keys;
  if (input.configs !== undefined) scopes.configs = input.configs;
  return scopes;
}

/** The stored scopes on the wire. */
export function scopesToWire(scopes: AccessScopes): ScopesInput {
  const wire: ScopesInput = {};
  if (scopes.providers !== undefined) wire.providers = scopes.providers;
  if (scopes.models !== undefined) wire.models = scopes.models;
  if (scopes.virtualKeys !== undefined) wire.virtual_keys = scopes.virtualKeys;
  if (scopes.configs !== undefined) wire.configs = scopes.configs;
  return wire;
}

/** Epoch ms as the API shows times, or null. */
export function isoTime(epochMs: number | undefined): string | null {
  return epochMs === undefined ? null : new Date(epochMs).toISOString();
}
