import { describe, expect, it } from 'vitest';
import { cleanJsonSchemaForGemini, geminiFunctionParameters } from '../../../../shared/src/providers/google/clean-json-schema-for-gemini.ts';

describe('cleanJsonSchemaForGemini', () => {
  it('keeps the supported subset and drops keywords Gemini rejects', () => {
    expect(
      cleanJsonSchemaForGemini({
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        title: 'Weather',
        additionalProperties: false,
        patternProperties: { '^x-': { type: 'string' } },
        properties: {
          city: { type: 'string', description: 'City name', default: 'Paris', examples: ['Paris'], minLength: 1, maxLength: 80, pattern: '^[A-Z]' },
          when: { type: 'string', format: 'date-time' },
          email: { type: 'string', format: 'email' },
          days: { type: 'integer', format: 'int32', minimum: 1, maximum: 14, multipleOf: 1 },
          tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3, uniqueItems: true },
        },
        required: ['city', 'not_a_property'],
      }),
    ).toEqual({
      type: 'object',
      title: 'Weather',
      properties: {
        city: { type: 'string', description: 'City name', minLength: 1, maxLength: 80, pattern: '^[A-Z]' },
        when: { type: 'string', format: 'date-time' },
        email: { type: 'string' },
        days: { type: 'integer', format: 'int32', minimum: 1, maximum: 14 },
        tags: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: 3 },
      },
      required: ['city'],
    });
  });

  it('turns const into a one-value enum and drops enums that are not strings', () => {
    expect(cleanJsonSchemaForGemini({ const: 'celsius' })).toEqual({ type: 'string', enum: ['celsius'] });
    expect(cleanJsonSchemaForGemini({ type: 'integer', enum: [1, 2, 3] })).toEqual({ type: 'integer' });
    expect(cleanJsonSchemaForGemini({ type: 'string', enum: ['a', 'b'] })).toEqual({ type: 'string', enum: ['a', 'b'] });
  });

  it('turns exclusive bounds into inclusive ones', () => {
    expect(cleanJsonSchemaForGemini({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 10 })).toEqual({ type: 'integer', minimum: 1, maximum: 9 });
    expect(cleanJsonSchemaForGemini({ type: 'number', exclusiveMinimum: 0.5 })).toEqual({ type: 'number', minimum: 0.5 });
  });

  it('inlines $ref to $defs and definitions, and stops at recursion', () => {
    expect(
      cleanJsonSchemaForGemini({
        type: 'object',
        properties: {
          home: { $ref: '#/$defs/Address' },
          work: { $ref: '#/definitions/Address', description: 'Office' },
          manager: { $ref: '#/$defs/Person' },
        },
        $defs: {
          Address: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'], additionalProperties: false },
          Person: { type: 'object', properties: { name: { type: 'string' }, manager: { $ref: '#/$defs/Person' } } },
        },
        definitions: { Address: { type: 'object', properties: { street: { type: 'string' } } } },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        home: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'] },
        work: { type: 'object', description: 'Office', properties: { street: { type: 'string' } } },
        manager: { type: 'object', properties: { name: { type: 'string' }, manager: { type: 'object' } } },
      },
    });
  });

  it('maps nullable unions to nullable and oneOf to anyOf', () => {
    expect(cleanJsonSchemaForGemini({ type: ['string', 'null'], description: 'Maybe' })).toEqual({ type: 'string', description: 'Maybe', nullable: true });
    expect(cleanJsonSchemaForGemini({ anyOf: [{ type: 'number' }, { type: 'null' }], description: 'Maybe a number' })).toEqual({
      type: 'number',
      description: 'Maybe a number',
      nullable: true,
    });
    expect(cleanJsonSchemaForGemini({ oneOf: [{ type: 'string' }, { type: 'integer', default: 3 }] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'integer' }],
    });
    expect(cleanJsonSchemaForGemini({ type: ['string', 'integer'] })).toEqual({ anyOf: [{ type: 'string' }, { type: 'integer' }] });
  });

  it('inlines a one-branch allOf and merges several', () => {
    expect(cleanJsonSchemaForGemini({ allOf: [{ $ref: '#/$defs/A' }], description: 'An A', $defs: { A: { type: 'string' } } })).toEqual({
      type: 'string',
      description: 'An A',
    });
    expect(
      cleanJsonSchemaForGemini({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: { type: 'number' } }, required: ['b'] },
        ],
      }),
    ).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'number' } }, required: ['a', 'b'] });
  });

  it('gives a tuple one item schema and removes empty properties', () => {
    expect(cleanJsonSchemaForGemini({ type: 'array', items: [{ type: 'string' }, { type: 'number' }] })).toEqual({
      type: 'array',
      items: { anyOf: [{ type: 'string' }, { type: 'number' }] },
    });
    expect(cleanJsonSchemaForGemini({ type: 'object', properties: {}, required: [] })).toEqual({ type: 'object' });
  });
});

describe('geminiFunctionParameters', () => {
  it('leaves out the parameters of a function that takes none', () => {
    expect(geminiFunctionParameters({ type: 'object', properties: {}, additionalProperties: false })).toBeUndefined();
    expect(geminiFunctionParameters(undefined)).toBeUndefined();
    expect(geminiFunctionParameters({ type: 'object', properties: { a: { type: 'string' } } })).toEqual({
      type: 'object',
      properties: { a: { type: 'string' } },
    });
  });
});
