import type { AdminClient } from '../admin-client.ts';
import type { OptionValues } from '../option-values.ts';
import { isoDateOption, keyValueOption, listOption, stringOption } from '../option-values.ts';
import { asRecord } from '../output.ts';

/** The object without its undefined fields, so PATCH bodies carry only what was given. */
export function definedFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/**
 * `scopes` from the `--scope-*` options: only the lists that were given, since an absent list
 * allows everything and an empty one (`--scope-models ""`) allows nothing.
 */
export function scopesFromOptions(values: OptionValues): Record<string, string[]> | undefined {
  const scopes = definedFields({
    providers: listOption(values, 'scope-providers'),
    models: listOption(values, 'scope-models'),
    virtual_keys: listOption(values, 'scope-virtual-keys'),
    configs: listOption(values, 'scope-configs'),
  }) as Record<string, string[]>;
  return Object.keys(scopes).length === 0 ? undefined : scopes;
}

/** A reference to a budget or rate limit; in an update, `none` removes it (the API's null). */
export function referenceOption(values: OptionValues, name: 'budget-id' | 'rate-limit-id', mode: 'create' | 'update'): string | null | undefined {
  const value = stringOption(values, name);
  return mode === 'update' && value === 'none' ? null : value;
}

/** The fields gateway keys and principals share: who they are, what they may use, what applies to them. */
export function accessFieldsFromOptions(values: OptionValues, mode: 'create' | 'update' = 'create'): Record<string, unknown> {
  return definedFields({
    name: stringOption(values, 'name'),
    scopes: scopesFromOptions(values),
    metadata: keyValueOption(values, 'metadata'),
    default_config: stringOption(values, 'default-config'),
    rate_limit_id: referenceOption(values, 'rate-limit-id', mode),
    budget_id: referenceOption(values, 'budget-id', mode),
  });
}

/** The options of `accessFieldsFromOptions`, for command specs. */
export const ACCESS_OPTIONS = [
  'name',
  'scope-providers',
  'scope-models',
  'scope-virtual-keys',
  'scope-configs',
  'metadata',
  'default-config',
  'rate-limit-id',
  'budget-id',
] as const;

/** Gateway keys also expire; in an update, `--expires-at never` removes the expiry. */
export function keyFieldsFromOptions(values: OptionValues, mode: 'create' | 'update'): Record<string, unknown> {
  const expiresAt = mode === 'update' && stringOption(values, 'expires-at') === 'never' ? null : isoDateOption(values, 'expires-at');
  return definedFields({ ...accessFieldsFromOptions(values, mode), expires_at: expiresAt });
}

/**
 * A PATCH body whose `scopes` keep the lists the command line did not mention. The API
 * replaces `scopes` whole, and a list left out means "everything": sending only
 * `--scope-models` would silently lift a provider restriction.
 */
export async function withMergedScopes(
  client: AdminClient,
  path: string,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  if (body.scopes === undefined) return body;
  const current = asRecord(asRecord(await client.send({ method: 'GET', path })).scopes);
  return { ...body, scopes: { ...current, ...asRecord(body.scopes) } };
}
