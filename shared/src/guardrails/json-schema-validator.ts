import { isJsonObject, type JsonValue } from '../core/json.ts';
import { compileConditionPattern } from '../protocol/condition-pattern.ts';
import type { JsonSchemaType } from '../protocol/json-schema-subset.ts';
import { MAX_REGEX_TEXT_LENGTH } from './text-match-checks.ts';

/**
 * A small validator for the JSON Schema keywords listed in protocol/json-schema-subset.ts
 * (which refuses every other keyword when the Config is read, so nothing here is skipped
 * silently). Written for guardrails: schemas are small and answers are modest JSON.
 */

/** One reason a value does not match, at a JSON Pointer (`/items/0/name`). */
export interface SchemaViolation {
  path: string;
  message: string;
}

/** Violations kept per validation; the verdict does not need more. */
const MAX_VIOLATIONS = 10;

type Schema = Readonly<Record<string, unknown>> | boolean;

function typeOf(value: JsonValue): JsonSchemaType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as 'string' | 'boolean' | 'object';
}

function hasType(value: JsonValue, type: unknown): boolean {
  const actual = typeOf(value);
  return type === actual || (type === 'number' && actual === 'integer');
}

/** Order-insensitive for object keys, so equal values compare equal. */
function canonical(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(value[key] as JsonValue)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const pointer = (path: string, segment: string | number): string => `${path}/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`;

class Validation {
  readonly violations: SchemaViolation[] = [];

  fail(path: string, message: string): false {
    if (this.violations.length < MAX_VIOLATIONS) this.violations.push({ path: path === '' ? '/' : path, message });
    return false;
  }

  /** Whether `value` matches `schema`; violations are noted as they are found. */
  check(schema: Schema, value: JsonValue, path: string): boolean {
    if (schema === true) return true;
    if (schema === false) return this.fail(path, 'no value is allowed here');
    let valid = true;
    const at = (ok: boolean): void => {
      if (!ok) valid = false;
    };
    if (schema.type !== undefined) {
      const types = Array.isArray(schema.type) ? schema.type : [schema.type];
      if (!types.some((type) => hasType(value, type))) return this.fail(path, `expected ${types.join(' or ')}, received ${typeOf(value)}`);
    }
    if (Array.isArray(schema.enum) && !schema.enum.some((option) => canonical(option as JsonValue) === canonical(value))) {
      at(this.fail(path, `must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`));
    }
    if ('const' in schema && canonical(schema.const as JsonValue) !== canonical(value)) at(this.fail(path, `must be ${JSON.stringify(schema.const)}`));
    if (typeof value === 'string') at(this.checkString(schema, value, path));
    else if (typeof value === 'number') at(this.checkNumber(schema, value, path));
    else if (Array.isArray(value)) at(this.checkArray(schema, value, path));
    else if (isJsonObject(value)) at(this.checkObject(schema, value, path));
    at(this.checkCombinations(schema, value, path));
    return valid;
  }

  private checkString(schema: Readonly<Record<string, unknown>>, value: string, path: string): boolean {
    let length = 0;
    for (const _character of value) length += 1;
    if (typeof schema.minLength === 'number' && length < schema.minLength) return this.fail(path, `must have at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) return this.fail(path, `must have at most ${schema.maxLength} characters`);
    if (typeof schema.pattern === 'string') {
      if (value.length > MAX_REGEX_TEXT_LENGTH) return this.fail(path, `is longer than the ${MAX_REGEX_TEXT_LENGTH} characters a pattern is run on`);
      if (!compileConditionPattern(schema.pattern).test(value)) return this.fail(path, `must match the pattern ${JSON.stringify(schema.pattern)}`);
    }
    return true;
  }

  private checkNumber(schema: Readonly<Record<string, unknown>>, value: number, path: string): boolean {
    const bound = (keyword: string, broken: (limit: number) => boolean, words: string): boolean => {
      const limit = schema[keyword];
      return typeof limit !== 'number' || !broken(limit) || this.fail(path, `must be ${words} ${limit}`);
    };
    const multipleOf = schema.multipleOf;
    if (typeof multipleOf === 'number') {
      const quotient = value / multipleOf;
      if (Math.abs(quotient - Math.round(quotient)) > 1e-9) return this.fail(path, `must be a multiple of ${multipleOf}`);
    }
    return (
      bound('minimum', (limit) => value < limit, '>=') &&
      bound('maximum', (limit) => value > limit, '<=') &&
      bound('exclusiveMinimum', (limit) => value <= limit, '>') &&
      bound('exclusiveMaximum', (limit) => value >= limit, '<')
    );
  }

  private checkArray(schema: Readonly<Record<string, unknown>>, value: readonly JsonValue[], path: string): boolean {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) return this.fail(path, `must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return this.fail(path, `must have at most ${schema.maxItems} items`);
    if (schema.uniqueItems === true && new Set(value.map(canonical)).size !== value.length) return this.fail(path, 'items must be unique');
    const items = schema.items as Schema | undefined;
    if (items === undefined) return true;
    let valid = true;
    for (const [index, item] of value.entries()) if (!this.check(items, item, pointer(path, index))) valid = false;
    return valid;
  }

  private checkObject(schema: Readonly<Record<string, unknown>>, value: Readonly<Record<string, JsonValue>>, path: string): boolean {
    const keys = Object.keys(value);
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) return this.fail(path, `must have at least ${schema.minProperties} properties`);
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) return this.fail(path, `must have at most ${schema.maxProperties} properties`);
    let valid = true;
    for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) {
      if (!Object.hasOwn(value, name)) valid = this.fail(path, `must have property ${JSON.stringify(name)}`);
    }
    const properties = isJsonObject(schema.properties as JsonValue) ? (schema.properties as Record<string, Schema>) : {};
    const additional = schema.additionalProperties as Schema | undefined;
    for (const key of keys) {
      const propertySchema = Object.hasOwn(properties, key) ? properties[key] : additional;
      if (propertySchema === false && additional === false && !Object.hasOwn(properties, key)) {
        valid = this.fail(path, `must not have property ${JSON.stringify(key)}`);
      } else if (propertySchema !== undefined && !this.check(propertySchema, value[key] as JsonValue, pointer(path, key))) {
        valid = false;
      }
    }
    return valid;
  }

  private checkCombinations(schema: Readonly<Record<string, unknown>>, value: JsonValue, path: string): boolean {
    const matches = (subschema: unknown): boolean => new Validation().check(subschema as Schema, value, path);
    if (Array.isArray(schema.allOf) && !schema.allOf.every((subschema) => this.check(subschema as Schema, value, path))) return false;
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some(matches)) return this.fail(path, 'must match at least one schema of anyOf');
    if (Array.isArray(schema.oneOf) && schema.oneOf.filter(matches).length !== 1) return this.fail(path, 'must match exactly one schema of oneOf');
    if (schema.not !== undefined && matches(schema.not)) return this.fail(path, 'must not match the schema of not');
    return true;
  }
}

/** Validate `value` against a schema that protocol/json-schema-subset.ts accepted. */
export function validateJsonSchema(schema: Readonly<Record<string, unknown>> | boolean, value: JsonValue): { valid: boolean; violations: SchemaViolation[] } {
  const validation = new Validation();
  const valid = validation.check(schema, value, '');
  return { valid, violations: validation.violations };
}
