import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../../shared/src/core/gateway-error.ts';
import { evaluateConditionQuery, type ConditionContext } from '../../../shared/src/routing/evaluate-condition-query.ts';

const context: ConditionContext = {
  metadata: { plan: 'paid', tier: '5', region: 'eu-west-1', beta: 'true', ratio: '0.25', name: 'alice' },
  params: {
    model: 'gpt-4o-mini',
    max_tokens: 2048,
    temperature: 0.2,
    stream: true,
    user: null,
    messages: [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Write a haiku about routers.' },
    ],
    response_format: { type: 'json_object' },
  },
  url: { pathname: '/v1/chat/completions' },
};

function matches(query: Record<string, unknown>): boolean {
  return evaluateConditionQuery(query, context);
}

describe('evaluateConditionQuery: fields', () => {
  it('reads metadata keys', () => {
    expect(matches({ 'metadata.plan': 'paid' })).toBe(true);
    expect(matches({ 'metadata.plan': 'free' })).toBe(false);
  });

  it('reads nested params with dots and array indexes', () => {
    expect(matches({ 'params.model': 'gpt-4o-mini' })).toBe(true);
    expect(matches({ 'params.response_format.type': 'json_object' })).toBe(true);
    expect(matches({ 'params.messages.1.role': 'user' })).toBe(true);
    expect(matches({ 'params.messages.0.content': { $regex: 'terse' } })).toBe(true);
    expect(matches({ 'params.messages.length': { $gte: 2 } })).toBe(true);
    expect(matches({ 'params.messages.2.role': { $eq: 'user' } })).toBe(false);
  });

  it('reads url.pathname', () => {
    expect(matches({ 'url.pathname': '/v1/chat/completions' })).toBe(true);
    expect(matches({ 'url.pathname': { $regex: '^/v1/embeddings' } })).toBe(false);
  });

  it('does not reach prototype properties', () => {
    expect(matches({ 'params.constructor': { $ne: 'x' } })).toBe(true);
    expect(matches({ 'params.constructor': { $regex: 'Object' } })).toBe(false);
    expect(matches({ 'metadata.toString': { $regex: '.' } })).toBe(false);
    expect(matches({ 'params.model.length': { $gt: 0 } })).toBe(false);
  });

  it('treats several keys in one object as AND', () => {
    expect(matches({ 'metadata.plan': 'paid', 'params.model': 'gpt-4o-mini' })).toBe(true);
    expect(matches({ 'metadata.plan': 'paid', 'params.model': 'gpt-4o' })).toBe(false);
  });

  it('matches everything with an empty query', () => {
    expect(matches({})).toBe(true);
  });
});

describe('evaluateConditionQuery: operators', () => {
  it('$eq and plain values, numbers matching numeric strings', () => {
    expect(matches({ 'metadata.tier': 5 })).toBe(true);
    expect(matches({ 'metadata.tier': { $eq: 5 } })).toBe(true);
    expect(matches({ 'metadata.tier': { $eq: '5' } })).toBe(true);
    expect(matches({ 'metadata.ratio': 0.25 })).toBe(true);
    expect(matches({ 'params.max_tokens': '2048' })).toBe(true);
    expect(matches({ 'params.max_tokens': 2049 })).toBe(false);
    expect(matches({ 'params.user': null })).toBe(true);
    expect(matches({ 'params.stream': true })).toBe(true);
    expect(matches({ 'metadata.beta': true })).toBe(true);
    expect(matches({ 'metadata.beta': false })).toBe(false);
  });

  it('$eq compares non-numeric strings exactly', () => {
    expect(matches({ 'metadata.plan': 'Paid' })).toBe(false);
    expect(matches({ 'metadata.tier': '5.0' })).toBe(false);
    expect(matches({ 'metadata.name': 0 })).toBe(false);
  });

  it('$ne', () => {
    expect(matches({ 'metadata.plan': { $ne: 'free' } })).toBe(true);
    expect(matches({ 'metadata.tier': { $ne: 5 } })).toBe(false);
  });

  it('$gt $gte $lt $lte on numbers and numeric metadata strings', () => {
    expect(matches({ 'metadata.tier': { $gt: 3 } })).toBe(true);
    expect(matches({ 'metadata.tier': { $gt: 5 } })).toBe(false);
    expect(matches({ 'metadata.tier': { $gte: 5 } })).toBe(true);
    expect(matches({ 'metadata.tier': { $lt: 10 } })).toBe(true);
    expect(matches({ 'metadata.tier': { $lte: 4 } })).toBe(false);
    expect(matches({ 'metadata.tier': { $gt: '10' } })).toBe(false);
    expect(matches({ 'metadata.ratio': { $lt: 0.5 } })).toBe(true);
    expect(matches({ 'params.max_tokens': { $gte: 1000, $lte: 4096 } })).toBe(true);
    expect(matches({ 'params.max_tokens': { $gte: 1000, $lte: 2000 } })).toBe(false);
    expect(matches({ 'params.temperature': { $lt: 0.5 } })).toBe(true);
  });

  it('compares strings when one side is not numeric', () => {
    expect(matches({ 'metadata.region': { $gt: 'eu' } })).toBe(true);
    expect(matches({ 'metadata.region': { $lt: 'eu' } })).toBe(false);
    expect(matches({ 'metadata.name': { $gte: 'alice', $lt: 'bob' } })).toBe(true);
  });

  it('never orders booleans, null or objects', () => {
    expect(matches({ 'params.stream': { $gt: 0 } })).toBe(false);
    expect(matches({ 'params.user': { $lt: 1 } })).toBe(false);
    expect(matches({ 'params.response_format': { $gt: '' } })).toBe(false);
  });

  it('$in and $nin', () => {
    expect(matches({ 'params.model': { $in: ['gpt-4o', 'gpt-4o-mini'] } })).toBe(true);
    expect(matches({ 'params.model': { $in: ['claude-3-5-sonnet'] } })).toBe(false);
    expect(matches({ 'metadata.tier': { $in: [1, 5] } })).toBe(true);
    expect(matches({ 'params.model': { $nin: ['gpt-4o'] } })).toBe(true);
    expect(matches({ 'params.model': { $nin: ['gpt-4o-mini'] } })).toBe(false);
  });

  it('$regex on strings and numbers', () => {
    expect(matches({ 'params.model': { $regex: '^gpt-4' } })).toBe(true);
    expect(matches({ 'params.model': { $regex: '^claude' } })).toBe(false);
    expect(matches({ 'params.max_tokens': { $regex: '^20' } })).toBe(true);
    expect(matches({ 'params.stream': { $regex: 'true' } })).toBe(false);
    expect(matches({ 'params.model': { $regex: 'GPT' } })).toBe(false);
  });

  it('requires every operator of one object to hold', () => {
    expect(matches({ 'params.model': { $regex: '^gpt', $ne: 'gpt-4o-mini' } })).toBe(false);
    expect(matches({ 'params.model': { $regex: '^gpt', $ne: 'gpt-4o' } })).toBe(true);
  });

  it('handles a missing field: $eq false, $ne true, $nin true, $in and comparisons false', () => {
    const missing = 'metadata.absent';
    expect(matches({ [missing]: 'x' })).toBe(false);
    expect(matches({ [missing]: null })).toBe(false);
    expect(matches({ [missing]: { $eq: 'x' } })).toBe(false);
    expect(matches({ [missing]: { $ne: 'x' } })).toBe(true);
    expect(matches({ [missing]: { $nin: ['x'] } })).toBe(true);
    expect(matches({ [missing]: { $in: ['x'] } })).toBe(false);
    expect(matches({ [missing]: { $gt: 0 } })).toBe(false);
    expect(matches({ [missing]: { $gte: 0 } })).toBe(false);
    expect(matches({ [missing]: { $lt: 0 } })).toBe(false);
    expect(matches({ [missing]: { $lte: 0 } })).toBe(false);
    expect(matches({ [missing]: { $regex: '.*' } })).toBe(false);
    expect(matches({ 'params.deep.missing.path': { $ne: 1 } })).toBe(true);
  });
});

describe('evaluateConditionQuery: logic', () => {
  it('$and', () => {
    expect(matches({ $and: [{ 'metadata.plan': 'paid' }, { 'metadata.tier': { $gt: 1 } }] })).toBe(true);
    expect(matches({ $and: [{ 'metadata.plan': 'paid' }, { 'metadata.tier': { $gt: 9 } }] })).toBe(false);
  });

  it('$or', () => {
    expect(matches({ $or: [{ 'metadata.plan': 'free' }, { 'metadata.region': { $regex: '^eu-' } }] })).toBe(true);
    expect(matches({ $or: [{ 'metadata.plan': 'free' }, { 'metadata.region': 'us-east-1' }] })).toBe(false);
  });

  it('nests logic and combines it with sibling fields', () => {
    const query = {
      'url.pathname': '/v1/chat/completions',
      $or: [
        { 'metadata.plan': 'enterprise' },
        { $and: [{ 'metadata.plan': 'paid' }, { 'params.max_tokens': { $lte: 4096 } }] },
      ],
    };
    expect(matches(query)).toBe(true);
    expect(matches({ ...query, 'url.pathname': '/v1/embeddings' })).toBe(false);
  });

  it('throws InvalidConfigError on an unknown operator instead of ignoring it', () => {
    expect(() => matches({ 'metadata.plan': { $exists: true } })).toThrow(InvalidConfigError);
    expect(() => matches({ $nor: [] })).toThrow('Invalid condition query: unknown operator $nor');
    expect(() => matches({ $or: 'x' })).toThrow(InvalidConfigError);
    expect(() => matches({ 'metadata.plan': { $in: 'paid' } })).toThrow(InvalidConfigError);
    expect(() => matches({ 'metadata.plan': { $regex: '(a+)+$' } })).toThrow(/catastrophic/);
  });
});
