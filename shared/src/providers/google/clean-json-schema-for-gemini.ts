import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';

/**
 * Gemini's `parameters` and `responseSchema` take a subset of OpenAPI 3.0's Schema object
 * (https://ai.google.dev/api/caching#Schema) and answer 400 to any other keyword. The subset:
 * type, format, title, description, nullable, enum, items, properties, required,
 * propertyOrdering, anyOf, minItems/maxItems, minProperties/maxProperties, minLength/maxLength,
 * pattern, minimum/maximum, example. `format` is accepted only as `enum` or `date-time` on
 * strings (https://firebase.google.com/docs/reference/js/ai.schemashared: "must be either
 * 'enum' or 'date-time', otherwise requests will fail") and as the OpenAPI number formats.
 *
 * What the cleaner does with the rest of JSON Schema:
 * - `$ref` to `#/...` (`$defs`, `definitions`) is inlined; a recursive reference becomes a
 *   bare `{type: object}` because Gemini has no references.
 * - `const: "x"` becomes `enum: ["x"]`; `oneOf` becomes `anyOf`; a one-branch `allOf` is
 *   inlined and several are merged; `type: [t, "null"]` and an `anyOf` null branch become
 *   `nullable: true`.
 * - `exclusiveMinimum`/`exclusiveMaximum` (numbers) become `minimum`/`maximum` (+1 for integers).
 * - enums of non-strings are dropped (Gemini enums are strings only).
 * - `required` keeps only names that are in `properties`; empty `properties` are removed.
 * - Everything else ($schema, additionalProperties, patternProperties, default, examples,
 *   not, if/then/else, multipleOf, uniqueItems, ...) is dropped. `default` is documentation
 *   only in JSON Schema, so nothing the model sees changes.
 */

const COPIED_KEYWORDS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'nullable',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'example',
]);

const STRING_FORMATS: ReadonlySet<string> = new Set(['enum', 'date-time']);
const NUMBER_FORMATS: ReadonlySet<string> = new Set(['float', 'double', 'int32', 'int64']);

interface CleanContext {
  root: JsonObject;
  /** `$ref`s being inlined right now, to stop at recursion. */
  resolving: string[];
}

/** Follow a local JSON pointer (`#/$defs/Name`) inside the root schema. */
function resolvePointer(root: JsonObject, reference: string): JsonValue | undefined {
  if (reference === '#') return root;
  if (!reference.startsWith('#/')) return undefined;
  let current: JsonValue | undefined = root;
  for (const raw of reference.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    current = isJsonObject(current) ? current[key] : Array.isArray(current) ? current[Number(key)] : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

function isNullSchema(schema: JsonValue): boolean {
  return isJsonObject(schema) && schema.type === 'null' && Object.keys(schema).length === 1;
}

function mergeAllOf(branches: JsonValue[]): JsonObject {
  const merged: JsonObject = {};
  const properties: JsonObject = {};
  const required: JsonValue[] = [];
  for (const branch of branches) {
    if (!isJsonObject(branch)) continue;
    for (const [key, value] of Object.entries(branch)) {
      if (key === 'properties' && isJsonObject(value)) Object.assign(properties, value);
      else if (key === 'required' && Array.isArray(value)) required.push(...value);
      else if (!(key in merged)) merged[key] = value;
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties;
  if (required.length > 0) merged.required = [...new Set(required)];
  return merged;
}

function cleanFormat(format: JsonValue | undefined, type: JsonValue | undefined): string | undefined {
  if (typeof format !== 'string') return undefined;
  if (type === 'string' && STRING_FORMATS.has(format)) return format;
  if ((type === 'number' || type === 'integer') && NUMBER_FORMATS.has(format)) return format;
  return undefined;
}

function cleanExclusiveBounds(schema: JsonObject, result: JsonObject): void {
  const step = schema.type === 'integer' ? 1 : 0;
  if (typeof schema.exclusiveMinimum === 'number' && result.minimum === undefined) result.minimum = schema.exclusiveMinimum + step;
  if (typeof schema.exclusiveMaximum === 'number' && result.maximum === undefined) result.maximum = schema.exclusiveMaximum - step;
}

function cleanEnum(schema: JsonObject, result: JsonObject): void {
  const values = schema.enum ?? (schema.const === undefined ? undefined : [schema.const]);
  if (!Array.isArray(values) || values.length === 0) return;
  if (!values.every((value) => typeof value === 'string')) return;
  result.enum = values;
  if (result.type === undefined) result.type = 'string';
}

function cleanObjectKeywords(schema: JsonObject, result: JsonObject, context: CleanContext): void {
  if (isJsonObject(schema.properties)) {
    const properties: JsonObject = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      properties[name] = cleanSchema(property, context) ?? {};
    }
    if (Object.keys(properties).length > 0) result.properties = properties;
  }
  const names = isJsonObject(result.properties) ? result.properties : {};
  if (Array.isArray(schema.required)) {
    const required = schema.required.filter((name): name is string => typeof name === 'string' && name in names);
    if (required.length > 0) result.required = required;
  }
  if (Array.isArray(schema.propertyOrdering)) {
    const ordering = schema.propertyOrdering.filter((name): name is string => typeof name === 'string' && name in names);
    if (ordering.length > 0) result.propertyOrdering = ordering;
  }
}

function cleanItems(items: JsonValue | undefined, context: CleanContext): JsonObject | undefined {
  if (Array.isArray(items)) {
    // A tuple: Gemini arrays have one item schema, so the positions become alternatives.
    const branches = items.map((item) => cleanSchema(item, context)).filter((item): item is JsonObject => item !== undefined);
    if (branches.length === 0) return undefined;
    return branches.length === 1 ? branches[0] : { anyOf: branches };
  }
  return cleanSchema(items, context);
}

function cleanAnyOf(branches: JsonValue[], outer: JsonObject, context: CleanContext): JsonObject {
  const nullable = branches.some(isNullSchema);
  const cleaned = branches
    .filter((branch) => !isNullSchema(branch))
    .map((branch) => cleanSchema(branch, context))
    .filter((branch): branch is JsonObject => branch !== undefined);
  let result: JsonObject;
  if (cleaned.length === 1) {
    // One real alternative: inline it, keeping the outer description and the like.
    result = { ...cleaned[0], ...outer };
  } else {
    result = { ...outer };
    if (cleaned.length > 0) result.anyOf = cleaned;
  }
  if (nullable) result.nullable = true;
  return result;
}

function cleanSchema(value: JsonValue | undefined, context: CleanContext): JsonObject | undefined {
  if (!isJsonObject(value)) return undefined;

  if (typeof value.$ref === 'string') {
    const reference = value.$ref;
    const { $ref: _reference, ...siblings } = value;
    if (context.resolving.includes(reference)) {
      return { type: 'object', ...(typeof siblings.description === 'string' ? { description: siblings.description } : {}) };
    }
    const target = resolvePointer(context.root, reference);
    if (!isJsonObject(target)) return cleanSchema(siblings, context) ?? { type: 'object' };
    context.resolving.push(reference);
    try {
      return cleanSchema({ ...target, ...siblings }, context);
    } finally {
      context.resolving.pop();
    }
  }

  if (Array.isArray(value.allOf)) {
    const { allOf, ...rest } = value;
    return cleanSchema(allOf.length === 1 && isJsonObject(allOf[0]) ? { ...allOf[0], ...rest } : mergeAllOf([rest, ...allOf]), context);
  }

  if (Array.isArray(value.type)) {
    const types = value.type.filter((type) => type !== 'null');
    const nullable = types.length < value.type.length;
    const single = types.length === 1 ? types[0] : undefined;
    if (single !== undefined || types.length === 0) {
      const { type: _types, ...rest } = value;
      const result = cleanSchema(single === undefined ? rest : { ...rest, type: single }, context) ?? {};
      if (nullable) result.nullable = true;
      return result;
    }
    const branches = types.map((type) => ({ ...value, type }));
    return cleanAnyOf(nullable ? [...branches, { type: 'null' }] : branches, {}, context);
  }

  const result: JsonObject = {};
  if (typeof value.type === 'string') result.type = value.type;
  for (const key of COPIED_KEYWORDS) {
    const copied = value[key];
    if (copied !== undefined) result[key] = copied;
  }
  const format = cleanFormat(value.format, value.type);
  if (format !== undefined) result.format = format;
  cleanExclusiveBounds(value, result);
  cleanEnum(value, result);
  cleanObjectKeywords(value, result, context);
  const items = cleanItems(value.items, context);
  if (items !== undefined) result.items = items;

  const alternatives = value.anyOf ?? value.oneOf;
  if (Array.isArray(alternatives)) return cleanAnyOf(alternatives, result, context);
  return result;
}

/** A JSON Schema reduced to what Gemini's Schema object accepts; undefined when nothing is left. */
export function cleanJsonSchemaForGemini(schema: JsonValue | undefined): JsonObject | undefined {
  if (!isJsonObject(schema)) return undefined;
  return cleanSchema(schema, { root: schema, resolving: [] });
}

/**
 * A function's `parameters` for Gemini. A function without parameters must leave the field
 * out: Gemini refuses an OBJECT schema whose `properties` is empty.
 */
export function geminiFunctionParameters(schema: JsonValue | undefined): JsonObject | undefined {
  const cleaned = cleanJsonSchemaForGemini(schema);
  if (cleaned === undefined) return undefined;
  if (cleaned.type === 'object' && cleaned.properties === undefined && cleaned.anyOf === undefined) return undefined;
  return cleaned;
}
