import { InvalidConfigError } from '../core/gateway-error.ts';
import { compileConditionPattern } from '../protocol/condition-pattern.ts';
import { readConditionField, type ConditionContext } from './read-condition-field.ts';

export type { ConditionContext } from './read-condition-field.ts';
// Validation belongs to the Config's syntax (protocol/), which checks a Config when it is
// read; it is re-exported so both halves of the query language can be found here.
export {
  findConditionQueryProblem,
  validateConditionQuery,
  type ConditionQueryProblem,
} from '../protocol/validate-condition-query.ts';

/**
 * Conditional routing queries, in the Mongo-like language of Portkey's `conditional`
 * strategy: `{ "metadata.plan": "paid", "params.max_tokens": { "$gt": 1000 },
 * "$or": [ ... ] }`. Keys of one object must all hold; `$and` / `$or` combine sub-queries.
 */

type Query = Readonly<Record<string, unknown>>;

/**
 * Whether a request matches a query. Expects a query that validateConditionQuery accepted;
 * an unknown operator or a malformed `$and`/`$or`/`$in`/`$nin`/`$regex` operand throws
 * InvalidConfigError rather than being skipped.
 *
 * @example
 * evaluateConditionQuery(
 *   { 'metadata.tier': { $gte: 2 } },
 *   { metadata: { tier: '3' }, params: {}, url: { pathname: '/v1/chat/completions' } },
 * ); // true
 */
export function evaluateConditionQuery(query: Query, context: ConditionContext): boolean {
  for (const [key, value] of Object.entries(query)) {
    if (key === '$and') {
      if (!subQueries(key, value).every((subQuery) => evaluateConditionQuery(subQuery, context))) return false;
    } else if (key === '$or') {
      if (!subQueries(key, value).some((subQuery) => evaluateConditionQuery(subQuery, context))) return false;
    } else if (key.startsWith('$')) {
      throw invalid(`unknown operator ${key}`);
    } else if (!matchesField(readConditionField(key, context), value)) {
      return false;
    }
  }
  return true;
}

function subQueries(operator: string, value: unknown): Query[] {
  if (!Array.isArray(value) || !value.every(isPlainObject)) throw invalid(`${operator} expects an array of queries`);
  return value;
}

function matchesField(fieldValue: unknown, condition: unknown): boolean {
  if (!isPlainObject(condition)) return valuesEqual(fieldValue, condition);
  for (const [operator, operand] of Object.entries(condition)) {
    if (!applyOperator(operator, fieldValue, operand)) return false;
  }
  return true;
}

function applyOperator(operator: string, fieldValue: unknown, operand: unknown): boolean {
  switch (operator) {
    case '$eq':
      return valuesEqual(fieldValue, operand);
    case '$ne':
      return !valuesEqual(fieldValue, operand);
    case '$gt':
      return compareOrdered(fieldValue, operand, (order) => order > 0);
    case '$gte':
      return compareOrdered(fieldValue, operand, (order) => order >= 0);
    case '$lt':
      return compareOrdered(fieldValue, operand, (order) => order < 0);
    case '$lte':
      return compareOrdered(fieldValue, operand, (order) => order <= 0);
    case '$in':
      return arrayOperand(operator, operand).some((candidate) => valuesEqual(fieldValue, candidate));
    case '$nin':
      return !arrayOperand(operator, operand).some((candidate) => valuesEqual(fieldValue, candidate));
    case '$regex':
      return matchesPattern(fieldValue, operand);
    default:
      throw invalid(`unknown operator ${operator}`);
  }
}

function arrayOperand(operator: string, operand: unknown): readonly unknown[] {
  if (!Array.isArray(operand)) throw invalid(`${operator} expects an array`);
  return operand;
}

/**
 * Equality that tolerates the string-typed metadata header: a number matches its numeric
 * string ("5" equals 5) and a boolean its word ("true" equals true). A missing field equals nothing.
 */
function valuesEqual(fieldValue: unknown, expected: unknown): boolean {
  if (fieldValue === undefined) return false;
  if (typeof fieldValue === typeof expected) return fieldValue === expected;
  const left = numericValue(fieldValue);
  const right = numericValue(expected);
  if (left !== undefined && right !== undefined) return left === right;
  if (typeof fieldValue === 'boolean' && typeof expected === 'string') return String(fieldValue) === expected;
  if (typeof fieldValue === 'string' && typeof expected === 'boolean') return fieldValue === String(expected);
  return false;
}

/** Numbers (or numeric strings) compare as numbers, other strings by code unit; anything else never matches. */
function compareOrdered(fieldValue: unknown, operand: unknown, accept: (order: number) => boolean): boolean {
  const left = numericValue(fieldValue);
  const right = numericValue(operand);
  if (left !== undefined && right !== undefined) return accept(left - right);
  if (!isStringOrNumber(fieldValue) || !isStringOrNumber(operand)) return false;
  const leftText = String(fieldValue);
  const rightText = String(operand);
  return accept(leftText < rightText ? -1 : leftText > rightText ? 1 : 0);
}

function matchesPattern(fieldValue: unknown, pattern: unknown): boolean {
  if (typeof pattern !== 'string') throw invalid('$regex expects a string');
  let regex: RegExp;
  try {
    regex = compileConditionPattern(pattern);
  } catch (error) {
    throw invalid(`$regex ${(error as Error).message}`);
  }
  return isStringOrNumber(fieldValue) && regex.test(String(fieldValue));
}

const numericText = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?\s*$/i;

function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && numericText.test(value)) return Number(value);
  return undefined;
}

function isStringOrNumber(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): InvalidConfigError {
  return new InvalidConfigError(`Invalid condition query: ${message}`);
}
