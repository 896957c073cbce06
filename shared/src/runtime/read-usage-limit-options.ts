import { readFileSync } from 'node:fs';
import type { UsageLimitSettings } from '../engine/usage-limits-step.ts';
import { parsePriceTable } from '../pricing/price-table.ts';
import type { Environment } from './read-runtime-options.ts';

/**
 * Cost and budget settings from the environment: `TURNPIKE_PRICES_FILE` (a JSON price table in
 * the shipped file's shape whose models replace or add to the shipped ones) and
 * `TURNPIKE_DEFAULT_MAX_TOKENS` (output tokens reserved for a request without `max_tokens`).
 */
export function readUsageLimitOptions(env: Environment): UsageLimitSettings {
  const settings: UsageLimitSettings = {};
  const pricesFile = env.TURNPIKE_PRICES_FILE;
  if (pricesFile !== undefined && pricesFile !== '') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(pricesFile, 'utf8'));
    } catch (error) {
      throw new Error(`TURNPIKE_PRICES_FILE ${JSON.stringify(pricesFile)} could not be read as JSON: ${String(error)}`);
    }
    settings.priceOverride = parsePriceTable(parsed);
  }
  const maxTokens = env.TURNPIKE_DEFAULT_MAX_TOKENS;
  if (maxTokens !== undefined && maxTokens !== '') {
    const value = Number(maxTokens);
    if (!Number.isInteger(value) || value < 0) throw new Error(`TURNPIKE_DEFAULT_MAX_TOKENS must be a whole number, got "${maxTokens}".`);
    settings.defaultMaxOutputTokens = value;
  }
  return settings;
}
