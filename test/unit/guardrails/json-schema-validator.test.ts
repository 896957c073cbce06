import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../shared/src/core/json.ts';
import { extractJsonCandidates } from '../../../shared/src/guardrails/extract-json-candidates.ts';
import { validateJsonSchema } from '../../../shared/src/guardrails/json-schema-validator.ts';

const valid = (schema: Record<string, unknown> | boolean, value: JsonValue): boolean => validateJsonSchema(schema, value).valid;

describe('validateJsonSchema', () => {
  it('checks types, with integer inside number and type lists', () => {
    expect(valid({ type: 'number' }, 3)).toBe(true);
    expect(valid({ type: 'integer' }, 3.5)).toBe(false);
    expect(valid({ type: ['string', 'null'] }, null)).toBe(true);
    expect(valid({ type: 'array' }, {})).toBe(false);
    expect(validateJsonSchema({ type: 'object' }, [1]).violations).toEqual([{ path: '/', message: 'expected object, received array' }]);
  });

  it('checks enum and const by value, object keys in any order', () => {
    expect(valid({ enum: ['a', { x: 1, y: 2 }] }, { y: 2, x: 1 })).toBe(true);
    expect(valid({ enum: ['a', 'b'] }, 'c')).toBe(false);
    expect(valid({ const: [1, 2] }, [1, 2])).toBe(true);
    expect(valid({ const: [1, 2] }, [2, 1])).toBe(false);
  });

  it('checks objects: properties, required, additionalProperties, property counts', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'], additionalProperties: false };
    expect(valid(schema, { a: 'x' })).toBe(true);
    expect(validateJsonSchema(schema, { a: 1, b: true }).violations).toEqual([
      { path: '/a', message: 'expected string, received integer' },
      { path: '/', message: 'must not have property "b"' },
    ]);
    expect(valid({ additionalProperties: { type: 'number' } }, { x: 1, y: 'two' })).toBe(false);
    expect(valid({ minProperties: 2 }, { x: 1 })).toBe(false);
    expect(valid({ maxProperties: 1 }, { x: 1 })).toBe(true);
  });

  it('checks arrays: items, counts, uniqueness', () => {
    expect(valid({ items: { type: 'integer' }, minItems: 1, maxItems: 3 }, [1, 2])).toBe(true);
    expect(validateJsonSchema({ items: { type: 'integer' } }, [1, 'x']).violations).toEqual([{ path: '/1', message: 'expected integer, received string' }]);
    expect(valid({ minItems: 3 }, [1])).toBe(false);
    expect(valid({ uniqueItems: true }, [{ a: 1 }, { a: 1 }])).toBe(false);
  });

  it('checks strings by code points and patterns', () => {
    expect(valid({ minLength: 2, maxLength: 2 }, '😀😀')).toBe(true);
    expect(valid({ pattern: '^[a-z]+$' }, 'abc')).toBe(true);
    expect(valid({ pattern: '^[a-z]+$' }, 'abc1')).toBe(false);
  });

  it('checks numbers: bounds, exclusive bounds, multiples', () => {
    expect(valid({ minimum: 1, maximum: 3 }, 3)).toBe(true);
    expect(valid({ exclusiveMaximum: 3 }, 3)).toBe(false);
    expect(valid({ exclusiveMinimum: 0 }, 0.1)).toBe(true);
    expect(valid({ multipleOf: 0.1 }, 0.3)).toBe(true);
    expect(valid({ multipleOf: 2 }, 3)).toBe(false);
  });

  it('combines schemas with allOf, anyOf, oneOf and not, and takes boolean schemas', () => {
    expect(valid({ allOf: [{ type: 'integer' }, { minimum: 2 }] }, 1)).toBe(false);
    expect(valid({ anyOf: [{ type: 'string' }, { type: 'integer' }] }, 1)).toBe(true);
    expect(valid({ oneOf: [{ type: 'number' }, { type: 'integer' }] }, 1)).toBe(false);
    expect(valid({ not: { type: 'string' } }, 1)).toBe(true);
    expect(valid({ properties: { never: false } }, { never: 1 })).toBe(false);
    expect(valid(true, 'anything')).toBe(true);
  });
});

describe('extractJsonCandidates', () => {
  it('takes fenced blocks first, then the whole text, then objects in prose', () => {
    expect(extractJsonCandidates('a\n```json\n{"a":1}\n```\nb {"ignored":true}')).toEqual([{ a: 1 }]);
    expect(extractJsonCandidates(' [1, 2] ')).toEqual([[1, 2]]);
    expect(extractJsonCandidates('x {"a": {"b": "}"}} y {bad} {"c": 2}')).toEqual([{ a: { b: '}' } }, { c: 2 }]);
    expect(extractJsonCandidates('nothing')).toEqual([]);
  });

  it('bounds its search through unbalanced braces', () => {
    const started = performance.now();
    expect(extractJsonCandidates('{'.repeat(200_000))).toEqual([]);
    expect(extractJsonCandidates('{x} '.repeat(100_000))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
