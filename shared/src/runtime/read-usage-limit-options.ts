import { readFileSync } from 'node:fs';
import type { UsageLimitSettings } from '../engine/usage-limits-step.ts';
import { parsePriceTable } from '../pricing/price-table.ts';
import type { Environment } from './read-runtime-options.ts';

/**
 * Cost and budget settings from the environment: `TURNPIKE_PRICES_FILE` (a JSON price table in
 * the shipped file's shape whose models replace or add to the shipped ones),
 * `TURNPIKE_DEFAULT_MAX_TOKENS` (output tokens reserved for a request without `max_tokens`),
 * `TURNPIKE_RESERVATION_LEASE_SECONDS` (how long a request may run before its budget
 * reservation counts as a crashed request's and is given back) and
 * `TURNPIKE_SETTLE_COALESCE_MS` (how long settlements wait to share a write; the composition
 * root picks the default).
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
  const lease = env.TURNPIKE_RESERVATION_LEASE_SECONDS;
  if (lease !== undefined && lease !== '') {
    const value = Number(lease);
    if (!Number.isInteger(value) || value < 1) throw new Error(`TURNPIKE_RESERVATION_LEASE_SECONDS must be a whole number of seconds (at least 1), got "${lease}".`);
    settings.reservationLeaseSeconds = value;
  }
  const coalesce = env.TURNPIKE_SETTLE_COALESCE_MS;
  if (coalesce !== undefined && coalesce !== '') {
    const value = Number(coalesce);
    // Past a second, reservations of finished requests would hold budget noticeably long.
    if (!Number.isInteger(value) || value < 0 || value > 1000) throw new Error(`TURNPIKE_SETTLE_COALESCE_MS must be a whole number of milliseconds from 0 to 1000, got "${coalesce}".`);
    settings.settleCoalesceMs = value;
  }
  return settings;
}
