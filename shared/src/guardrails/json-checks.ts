import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';
import type { GuardrailCheckParameters } from '../protocol/guardrail-check-parameters.ts';
import { extractJsonCandidates } from './extract-json-candidates.ts';
import { type CheckFunction, NO_TEXT, finding } from './guardrail-check-finding.ts';
import { type SchemaViolation, validateJsonSchema } from './json-schema-validator.ts';

/**
 * Portkey's jsonSchema and jsonKeys: they look for JSON in the text (fenced blocks, the whole
 * text, or objects in prose; see extract-json-candidates.ts) and pass when one value found
 * satisfies them. Text without any JSON fails them whatever `not` says, as in Portkey.
 */

const NO_JSON = 'No JSON was found in the text.';

/** The schema matches at least one JSON value of the text. */
export const jsonSchema: CheckFunction<GuardrailCheckParameters['jsonSchema']> = ({ schema }, { text }) => {
  if (text === '') return NO_TEXT;
  const candidates = extractJsonCandidates(text);
  if (candidates.length === 0) return { kind: 'fail', message: NO_JSON, data: { explanation: NO_JSON } };
  let first: { value: JsonValue; violations: SchemaViolation[] } | undefined;
  for (const candidate of candidates) {
    const result = validateJsonSchema(schema, candidate);
    if (result.valid) return finding(true, 'The JSON matches the schema.', { matchedJson: candidate, validationErrors: [] });
    first ??= { value: candidate, violations: result.violations };
  }
  const validationErrors = (first?.violations ?? []).map((violation): JsonObject => ({ path: violation.path, message: violation.message }));
  return finding(false, 'No JSON in the text matches the schema.', { matchedJson: first?.value ?? null, validationErrors });
};

/** Any, all or none of the keys are top-level keys of a JSON object in the text. */
export const jsonKeys: CheckFunction<GuardrailCheckParameters['jsonKeys']> = ({ keys, operator = 'any' }, { text }) => {
  if (text === '') return NO_TEXT;
  const objects = extractJsonCandidates(text).filter(isJsonObject);
  if (objects.length === 0) return { kind: 'fail', message: NO_JSON, data: { explanation: NO_JSON } };
  let best: { object: JsonObject; present: string[] } | undefined;
  for (const object of objects) {
    const present = keys.filter((key) => Object.hasOwn(object, key));
    const holds = operator === 'any' ? present.length > 0 : operator === 'all' ? present.length === keys.length : present.length === 0;
    if (holds) return finding(true, `The JSON satisfies "${operator}" of the keys.`, { operator, matchedJson: object, presentKeys: present });
    if (best === undefined || present.length > best.present.length) best = { object, present };
  }
  const present = best?.present ?? [];
  const missingKeys = keys.filter((key) => !present.includes(key));
  return finding(false, `No JSON object satisfies "${operator}" of the keys.`, { operator, matchedJson: best?.object ?? null, presentKeys: present, missingKeys });
};
