import type { JsonValue } from '../core/json.ts';

/**
 * Keys whose values are credentials wherever they appear (a config's `api_key`, an AWS
 * secret, an Authorization value). They are removed in every mode, `full` included.
 */
const CREDENTIAL_KEY = /api[-_]?key|secret|password|passphrase|authorization|session[-_]?token|access[-_]?token|refresh[-_]?token|private[-_]?key|credential/i;

/**
 * Keys whose string values describe the structure of a request or answer rather than its
 * content (who speaks, which model, why it stopped). `redacted` mode keeps them so a log
 * still shows what happened; every other string becomes its length.
 */
const STRUCTURAL_KEYS: ReadonlySet<string> = new Set([
  'model',
  'role',
  'type',
  'object',
  'id',
  'name',
  'tool_call_id',
  'finish_reason',
  'stop_reason',
  'tool_choice',
  'service_tier',
  'system_fingerprint',
  'encoding_format',
  'reasoning_effort',
  'modalities',
  'voice',
  'format',
  'response_format',
  'media_type',
  'detail',
  'quality',
  'size',
  'style',
  'event',
]);

// Embeddings and logprob arrays are long runs of numbers: in redacted mode their length is enough.
const LONG_NUMBER_ARRAY = 16;

export const REMOVED_CREDENTIAL = '[credential removed]';

/** What `redacted` mode puts in place of a string. */
export function redactedText(length: number, unit = 'chars'): string {
  return `[redacted: ${length} ${unit}]`;
}

function isNumberArray(value: readonly JsonValue[]): boolean {
  return value.every((item) => typeof item === 'number');
}

function redact(value: JsonValue, key: string | undefined, contentHidden: boolean): JsonValue {
  if (typeof value === 'string') {
    if (key !== undefined && CREDENTIAL_KEY.test(key)) return REMOVED_CREDENTIAL;
    return contentHidden && (key === undefined || !STRUCTURAL_KEYS.has(key)) ? redactedText(value.length) : value;
  }
  if (Array.isArray(value)) {
    if (contentHidden && value.length > LONG_NUMBER_ARRAY && isNumberArray(value)) return redactedText(value.length, 'numbers');
    return value.map((item) => redact(item, key, contentHidden));
  }
  if (value !== null && typeof value === 'object') {
    const result: Record<string, JsonValue> = {};
    for (const [name, item] of Object.entries(value)) {
      result[name] = CREDENTIAL_KEY.test(name) && item !== null ? REMOVED_CREDENTIAL : redact(item, name, contentHidden);
    }
    return result;
  }
  return value;
}

/**
 * A copy of a JSON body fit for the request log. Credentials under well-known keys are
 * always removed; with `hideContent` (the `redacted` mode) every string that is not
 * structural (model, role, type, finish_reason, ...) becomes `[redacted: <length> chars]` and
 * long number arrays (embeddings) their length, so the shape of the exchange stays readable.
 *
 * @example redactJsonBody({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, true)
 * // → { model: 'gpt-4o', messages: [{ role: 'user', content: '[redacted: 2 chars]' }] }
 */
export function redactJsonBody(value: JsonValue, hideContent: boolean): JsonValue {
  return redact(value, undefined, hideContent);
}
