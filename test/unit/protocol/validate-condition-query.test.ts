import { describe, expect, it } from 'vitest';
import {
  findConditionQueryProblem,
  validateConditionQuery,
} from '../../../shared/src/protocol/validate-condition-query.ts';
import * as routing from '../../../shared/src/routing/evaluate-condition-query.ts';

describe('validateConditionQuery', () => {
  const path = 'strategy.conditions[0].query';

  it('accepts valid queries', () => {
    expect(validateConditionQuery({}, path)).toBeUndefined();
    expect(
      validateConditionQuery(
        {
          'metadata.plan': 'paid',
          'metadata.tier': { $gte: 2, $lt: '10' },
          'params.model': { $in: ['a', 'b'], $nin: [null, 1, true] },
          'params.messages.0.role': { $eq: 'system', $ne: null },
          'url.pathname': { $regex: '^/v1/(chat|completions)' },
          $and: [{ 'metadata.x': true }],
          $or: [{ 'metadata.y': 1 }, { $and: [{ 'metadata.z': 'z' }] }],
        },
        path,
      ),
    ).toBeUndefined();
  });

  it('names the exact path of an unknown operator', () => {
    expect(validateConditionQuery({ $or: [{ 'metadata.a': 'b' }, { $foo: 1 }] }, path)).toBe(
      'strategy.conditions[0].query.$or[1]: unknown operator $foo',
    );
    expect(validateConditionQuery({ 'params.model': { $eq: 'x', $exists: true } }, path)).toBe(
      'strategy.conditions[0].query["params.model"]: unknown operator $exists',
    );
    expect(validateConditionQuery({ $eq: 'x' }, path)).toBe('strategy.conditions[0].query: unknown operator $eq');
  });

  it('refuses non-object queries', () => {
    expect(validateConditionQuery('x', path)).toBe('strategy.conditions[0].query: expected a query object, received string');
    expect(validateConditionQuery([], path)).toBe('strategy.conditions[0].query: expected a query object, received array');
    expect(validateConditionQuery(null, path)).toBe('strategy.conditions[0].query: expected a query object, received null');
    expect(validateConditionQuery({ $and: [{}, 3] }, path)).toBe(
      'strategy.conditions[0].query.$and[1]: expected a query object, received number',
    );
  });

  it('refuses non-array or empty $and / $or', () => {
    expect(validateConditionQuery({ $and: { 'metadata.a': 1 } }, path)).toBe(
      'strategy.conditions[0].query.$and: expected an array of queries, received object',
    );
    expect(validateConditionQuery({ $or: [] }, path)).toBe('strategy.conditions[0].query.$or: expected at least one query');
  });

  it('refuses non-array $in / $nin and non-primitive items', () => {
    expect(validateConditionQuery({ 'metadata.a': { $in: 'x' } }, path)).toBe(
      'strategy.conditions[0].query["metadata.a"].$in: expected an array, received string',
    );
    expect(validateConditionQuery({ 'metadata.a': { $nin: null } }, path)).toBe(
      'strategy.conditions[0].query["metadata.a"].$nin: expected an array, received null',
    );
    expect(validateConditionQuery({ 'metadata.a': { $in: ['x', { y: 1 }] } }, path)).toBe(
      'strategy.conditions[0].query["metadata.a"].$in[1]: expected a string, number, boolean or null, received object',
    );
  });

  it('refuses bad $regex operands', () => {
    expect(validateConditionQuery({ 'metadata.a': { $regex: 5 } }, path)).toBe(
      'strategy.conditions[0].query["metadata.a"].$regex: expected a string, received number',
    );
    expect(validateConditionQuery({ 'metadata.a': { $regex: '([a-z' } }, path)).toMatch(
      /^strategy\.conditions\[0\]\.query\["metadata\.a"\]\.\$regex: Invalid regular expression/,
    );
    expect(validateConditionQuery({ 'metadata.a': { $regex: 'a'.repeat(501) } }, path)).toBe(
      'strategy.conditions[0].query["metadata.a"].$regex: pattern is longer than 500 characters',
    );
    expect(validateConditionQuery({ 'metadata.a': { $regex: 'a'.repeat(500) } }, path)).toBeUndefined();
  });

  it('refuses operands of the wrong type', () => {
    expect(validateConditionQuery({ 'metadata.a': { $gt: true } }, path)).toBe(
      'strategy.conditions[0].query["metadata.a"].$gt: expected a number or a string, received boolean',
    );
    expect(validateConditionQuery({ 'metadata.a': { $eq: [1] } }, path)).toBe(
      'strategy.conditions[0].query["metadata.a"].$eq: expected a string, number, boolean or null, received array',
    );
  });

  it('refuses field values that are neither a value nor an operator object', () => {
    expect(validateConditionQuery({ 'metadata.a': ['x'] }, path)).toMatch(/\["metadata\.a"\]: expected a value or an operator object/);
    expect(validateConditionQuery({ 'metadata.a': {} }, path)).toBe(
      'strategy.conditions[0].query["metadata.a"]: expected at least one operator',
    );
    expect(validateConditionQuery({ 'params.response_format': { type: 'json_object' } }, path)).toBe(
      'strategy.conditions[0].query["params.response_format"]: expected operators such as $eq, found key "type"',
    );
  });

  it('refuses unknown fields', () => {
    for (const field of ['plan', 'headers.x', 'metadata', 'metadata.', 'params', 'params.a..b', 'url.host']) {
      expect(validateConditionQuery({ [field]: 'x' }, path)).toBe(
        `strategy.conditions[0].query: unknown field ${JSON.stringify(field)}; use metadata.<key>, params.<path> or url.pathname`,
      );
    }
  });
});

describe('findConditionQueryProblem', () => {
  it('keeps the path and the message apart', () => {
    expect(findConditionQueryProblem({ $or: [{ 'metadata.a': { $in: 1 } }] }, 'strategy.conditions[2].query')).toEqual({
      path: 'strategy.conditions[2].query.$or[0]["metadata.a"].$in',
      message: 'expected an array, received number',
    });
  });

  it('is what routing re-exports', () => {
    expect(routing.validateConditionQuery).toBe(validateConditionQuery);
  });
});
