import { describeBadPattern } from './condition-pattern.ts';
import { appendPathIndex, appendPathKey } from './config-path.ts';
import { type ConfigIssue, describeType } from './describe-config-issue.ts';

/**
 * The part of JSON Schema the `jsonSchema` guardrail check understands (the common validation
 * keywords of draft 2020-12). A schema that uses anything else is refused when the Config is
 * read: a keyword the validator skipped would let answers through that the author meant to stop.
 */
export const JSON_SCHEMA_TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean', 'null'] as const;
export type JsonSchemaType = (typeof JSON_SCHEMA_TYPES)[number];

const SUBSCHEMA_MAPS = new Set(['properties']);
const SUBSCHEMAS = new Set(['additionalProperties', 'items', 'not']);
const SUBSCHEMA_LISTS = new Set(['anyOf', 'allOf', 'oneOf']);
const COUNTS = new Set(['minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties']);
const NUMBERS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']);
const OTHER_KEYWORDS = new Set(['type', 'enum', 'const', 'required', 'uniqueItems', 'pattern']);
/** Keywords that only describe: accepted and ignored, as validators do. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'format',
  'readOnly',
  'writeOnly',
  'deprecated',
  'contentMediaType',
  'contentEncoding',
]);

/** Every keyword the validator applies, for error messages. */
export const SUPPORTED_SCHEMA_KEYWORDS: readonly string[] = [...OTHER_KEYWORDS, ...SUBSCHEMA_MAPS, ...SUBSCHEMAS, ...SUBSCHEMA_LISTS, ...COUNTS, ...NUMBERS];

/** Deeper schemas than this are refused: a bound on the validator's recursion. */
const MAX_SCHEMA_DEPTH = 32;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first problem of a `jsonSchema` check's schema, or undefined when the validator can apply all of it. */
export function findJsonSchemaProblem(schema: unknown, path: string, depth = 0): ConfigIssue | undefined {
  if (typeof schema === 'boolean') return undefined;
  if (!isObject(schema)) return { path, message: `expected a schema object or boolean, received ${describeType(schema)}` };
  if (depth > MAX_SCHEMA_DEPTH) return { path, message: `schemas nested deeper than ${MAX_SCHEMA_DEPTH} levels are not supported` };
  for (const [keyword, value] of Object.entries(schema)) {
    const keywordPath = appendPathKey(path, keyword);
    if (ANNOTATIONS.has(keyword)) continue;
    const problem = checkKeyword(keyword, value, keywordPath, depth);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkKeyword(keyword: string, value: unknown, path: string, depth: number): ConfigIssue | undefined {
  if (SUBSCHEMAS.has(keyword)) {
    if (keyword === 'items' && Array.isArray(value)) return { path, message: 'tuple `items` (an array) is not supported; give one schema for every item' };
    return findJsonSchemaProblem(value, path, depth + 1);
  }
  if (SUBSCHEMA_MAPS.has(keyword)) {
    if (!isObject(value)) return { path, message: `expected an object of schemas, received ${describeType(value)}` };
    for (const [name, subschema] of Object.entries(value)) {
      const problem = findJsonSchemaProblem(subschema, appendPathKey(path, name), depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (SUBSCHEMA_LISTS.has(keyword)) {
    if (!Array.isArray(value) || value.length === 0) return { path, message: 'expected a non-empty array of schemas' };
    for (const [index, subschema] of value.entries()) {
      const problem = findJsonSchemaProblem(subschema, appendPathIndex(path, index), depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (COUNTS.has(keyword)) {
    return Number.isInteger(value) && (value as number) >= 0 ? undefined : { path, message: 'expected a whole number >= 0' };
  }
  if (NUMBERS.has(keyword)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return { path, message: `expected number, received ${describeType(value)}` };
    return keyword === 'multipleOf' && value <= 0 ? { path, message: 'must be > 0' } : undefined;
  }
  switch (keyword) {
    case 'type': {
      const types = Array.isArray(value) ? value : [value];
      const known: readonly unknown[] = JSON_SCHEMA_TYPES;
      const unknownType = types.find((type) => !known.includes(type));
      if (types.length === 0 || unknownType !== undefined) return { path, message: `expected one of ${JSON_SCHEMA_TYPES.map((type) => JSON.stringify(type)).join(', ')}, or an array of them` };
      return undefined;
    }
    case 'enum':
      return Array.isArray(value) && value.length > 0 ? undefined : { path, message: 'expected a non-empty array' };
    case 'const':
      return undefined;
    case 'required':
      return Array.isArray(value) && value.every((name) => typeof name === 'string') ? undefined : { path, message: 'expected an array of property names' };
    case 'uniqueItems':
      return typeof value === 'boolean' ? undefined : { path, message: `expected boolean, received ${describeType(value)}` };
    case 'pattern': {
      if (typeof value !== 'string') return { path, message: `expected string, received ${describeType(value)}` };
      const problem = describeBadPattern(value);
      return problem === undefined ? undefined : { path, message: problem };
    }
    default:
      return {
        path,
        message: `JSON Schema keyword ${JSON.stringify(keyword)} is not supported by the jsonSchema check; supported: ${SUPPORTED_SCHEMA_KEYWORDS.join(', ')}`,
      };
  }
}
