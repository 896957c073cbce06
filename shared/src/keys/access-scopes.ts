import { PermissionDeniedError } from '../core/gateway-error.ts';
import type { AccessScopes, CallerIdentity } from './access-records.ts';

export type ScopeName = keyof AccessScopes;

/** How each scope is named to callers: its field in the admin API, and the thing it lists. */
const SCOPE_WORDS: Record<ScopeName, { field: string; noun: string }> = {
  providers: { field: 'providers', noun: 'provider' },
  models: { field: 'models', noun: 'model' },
  virtualKeys: { field: 'virtual_keys', noun: 'virtual key' },
  configs: { field: 'configs', noun: 'config' },
};

/**
 * Whether a scope list allows `value`. Absent = everything, empty = nothing; an entry ending
 * in `*` matches every value that starts with the rest (`gpt-4o*`, or `*` for anything).
 */
export function scopeAllows(list: readonly string[] | undefined, value: string): boolean {
  if (list === undefined) return true;
  return list.some((entry) => (entry.endsWith('*') ? value.startsWith(entry.slice(0, -1)) : entry === value));
}

/** The error for a value outside a caller's scope; the message names the scope, never a secret. */
export function scopeDeniedError(identity: Pick<CallerIdentity, 'kind'>, scope: ScopeName, value: string): PermissionDeniedError {
  const who = identity.kind === 'principal' ? 'principal' : 'key';
  const { field, noun } = SCOPE_WORDS[scope];
  return new PermissionDeniedError(
    `This ${who} may not use ${noun} ${JSON.stringify(value)}: it is not in the ${who}'s ${field} scope.`,
    'scope_denied',
  );
}

/**
 * Throw a 403 `scope_denied` unless the caller's `scope` allows `value`.
 *
 * @example assertScopeAllows(identity, 'models', 'gpt-4o') // This key may not use model "gpt-4o": it is not in the key's models scope.
 */
export function assertScopeAllows(identity: Pick<CallerIdentity, 'kind' | 'scopes'>, scope: ScopeName, value: string): void {
  if (!scopeAllows(identity.scopes[scope], value)) throw scopeDeniedError(identity, scope, value);
}
