import { UsageError } from './cli-error.ts';
import type { OptionName } from './option-table.ts';

/** What node:util parseArgs returns for the option table. */
export type OptionValues = Partial<Record<OptionName, string | boolean | (string | boolean)[]>>;

/** A single-valued string option, or undefined when absent. */
export function stringOption(values: OptionValues, name: OptionName): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** A string option the command cannot do without. */
export function requiredString(values: OptionValues, name: OptionName): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** A boolean flag. */
export function flagOption(values: OptionValues, name: OptionName): boolean {
  return values[name] === true;
}

/** The raw values of a repeatable option, in order. */
function repeatedStrings(values: OptionValues, name: OptionName): string[] | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item): item is string => typeof item === 'string');
}

/**
 * A comma-separated list that may also be repeated (`--models a,b --models c`). Absent gives
 * undefined, while `--models ""` gives an empty list: for scopes the two mean "everything"
 * and "nothing", so they must stay distinct.
 */
export function listOption(values: OptionValues, name: OptionName): string[] | undefined {
  const raw = repeatedStrings(values, name);
  if (raw === undefined) return undefined;
  return raw
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Repeated `K=V` options as a record; the value may itself contain `=`. */
export function keyValueOption(values: OptionValues, name: OptionName): Record<string, string> | undefined {
  const raw = repeatedStrings(values, name);
  if (raw === undefined) return undefined;
  const record: Record<string, string> = {};
  for (const item of raw) {
    const separator = item.indexOf('=');
    if (separator <= 0) throw new UsageError(`--${name} expects KEY=VALUE, got "${item}"`);
    record[item.slice(0, separator)] = item.slice(separator + 1);
  }
  return record;
}

/** A whole number within bounds, e.g. `--limit` or `--version`. */
export function integerOption(values: OptionValues, name: OptionName, minimum: number, maximum: number): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < minimum || value > maximum) {
    throw new UsageError(`--${name} must be a whole number from ${minimum} to ${maximum}, got "${raw}"`);
  }
  return value;
}

/** An ISO 8601 date, normalised to UTC (`2026-01-31T00:00:00.000Z`). */
export function isoDateOption(values: OptionValues, name: OptionName): string | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  // Date.parse also takes "March 7" and friends; the API documents ISO, so insist on it.
  const time = /^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(time)) throw new UsageError(`--${name} must be an ISO 8601 date such as 2026-01-31T00:00:00Z, got "${raw}"`);
  return new Date(time).toISOString();
}
