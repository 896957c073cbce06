import type { JsonValue } from '../core/json.ts';
import { REMOVED_CREDENTIAL } from './redact-json-body.ts';

/** Request headers that carry a credential, for the gateway or for a provider. */
const CREDENTIAL_HEADERS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'api-key',
  'x-goog-api-key',
  'x-portkey-api-key',
  'x-portkey-aws-access-key-id',
  'x-portkey-aws-secret-access-key',
  'x-portkey-aws-session-token',
];
const CONFIG_CREDENTIAL_KEY = /api[-_]?key|secret|session[-_]?token|access[-_]?key|password|authorization|credential/i;
const AUTH_SCHEME = /^(?:Bearer|Basic|Token)\s+/i;
// Shorter strings are too likely to be ordinary words: scrubbing them would garble the log.
const MIN_CREDENTIAL_LENGTH = 8;

function collectFromConfig(value: JsonValue, key: string | undefined, found: Set<string>): void {
  if (typeof value === 'string') {
    if (key !== undefined && CONFIG_CREDENTIAL_KEY.test(key)) found.add(value);
  } else if (Array.isArray(value)) {
    for (const item of value) collectFromConfig(item, key, found);
  } else if (value !== null && typeof value === 'object') {
    for (const [name, item] of Object.entries(value)) collectFromConfig(item, name, found);
  }
}

/**
 * Every credential that came with a request: gateway and provider keys from the auth
 * headers, AWS keys from Portkey's headers, and `api_key` (and other secret fields) of an
 * inline `x-portkey-config`. The request log scrubs each of them from whatever it stores,
 * so a key echoed back in an upstream error message never reaches the Logs table.
 */
export function collectRequestCredentials(headers: Headers | undefined): string[] {
  if (headers === undefined) return [];
  const found = new Set<string>();
  for (const name of CREDENTIAL_HEADERS) {
    const value = headers.get(name)?.trim();
    if (value === undefined || value === '') continue;
    found.add(value);
    found.add(value.replace(AUTH_SCHEME, ''));
  }
  const config = headers.get('x-portkey-config')?.trim();
  if (config?.startsWith('{') === true) {
    try {
      collectFromConfig(JSON.parse(config) as JsonValue, undefined, found);
    } catch {
      // An unreadable config was refused with a 400; it holds nothing to scrub for.
    }
  }
  // Longest first, so a token is removed whole before any shorter credential inside it.
  return [...found].filter((value) => value.length >= MIN_CREDENTIAL_LENGTH).sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each credential replaced by a marker. */
export function scrubCredentials(text: string, credentials: readonly string[]): string {
  let result = text;
  for (const credential of credentials) {
    if (result.includes(credential)) result = result.split(credential).join(REMOVED_CREDENTIAL);
  }
  return result;
}

/** A JSON value with `scrubCredentials` applied to every string in it (keys included). */
export function scrubCredentialsInJson(value: JsonValue, credentials: readonly string[]): JsonValue {
  if (credentials.length === 0) return value;
  if (typeof value === 'string') return scrubCredentials(value, credentials);
  if (Array.isArray(value)) return value.map((item) => scrubCredentialsInJson(item, credentials));
  if (value !== null && typeof value === 'object') {
    const result: Record<string, JsonValue> = {};
    for (const [name, item] of Object.entries(value)) result[scrubCredentials(name, credentials)] = scrubCredentialsInJson(item, credentials);
    return result;
  }
  return value;
}
