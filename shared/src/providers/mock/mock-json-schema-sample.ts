import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';

/** Schemas nest; past this depth the sample stops with null rather than recurse for ever. */
const MAX_DEPTH = 8;

function firstOf(value: JsonValue | undefined): JsonValue | undefined {
  return Array.isArray(value) ? value[0] : undefined;
}

function typeOf(schema: JsonObject): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) {
    // ["string", "null"] means an optional string: the non-null type makes the better sample.
    const named = schema.type.filter((type): type is string => typeof type === 'string');
    return named.find((type) => type !== 'null') ?? named[0];
  }
  if (isJsonObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function sampleObject(schema: JsonObject, depth: number): JsonObject {
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  // OpenAI's strict mode lists every property as required; without a list, fill them all.
  const names = Array.isArray(schema.required)
    ? schema.required.filter((name): name is string => typeof name === 'string')
    : Object.keys(properties);
  const result: JsonObject = {};
  for (const name of names) result[name] = sampleFromJsonSchema(properties[name], depth + 1);
  return result;
}

function sampleNumber(schema: JsonObject, integer: boolean): number {
  const minimum = typeof schema.minimum === 'number' ? schema.minimum : undefined;
  const value = minimum ?? 1;
  return integer ? Math.ceil(value) : value;
}

/**
 * A small value that fits a JSON schema: the first enum value, the minimum number, "mock" for
 * strings, one item for arrays, every required property for objects. Deterministic, so mock
 * tool calls and structured outputs repeat exactly and parse with the caller's schema.
 */
export function sampleFromJsonSchema(schema: JsonValue | undefined, depth = 0): JsonValue {
  if (!isJsonObject(schema) || depth > MAX_DEPTH) return null;
  if (schema.const !== undefined) return schema.const;
  const enumValue = firstOf(schema.enum);
  if (enumValue !== undefined) return enumValue;
  const alternative = firstOf(schema.anyOf) ?? firstOf(schema.oneOf);
  if (alternative !== undefined) return sampleFromJsonSchema(alternative, depth + 1);
  switch (typeOf(schema)) {
    case 'object':
      return sampleObject(schema, depth);
    case 'array':
      return schema.items === undefined ? [] : [sampleFromJsonSchema(schema.items, depth + 1)];
    case 'string':
      return 'mock';
    case 'integer':
      return sampleNumber(schema, true);
    case 'number':
      return sampleNumber(schema, false);
    case 'boolean':
      return true;
    default:
      return null;
  }
}
