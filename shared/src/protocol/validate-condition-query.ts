import { describeBadPattern } from './condition-pattern.ts';
import { appendPathIndex, appendPathKey } from './config-path.ts';

/**
 * The syntax of conditional-routing queries (Portkey's `strategy.conditions[].query`):
 * field paths mapped to a value or to an operator object, combined with `$and` / `$or`.
 * Checked when a Config is read, so a typo fails the request instead of never matching.
 * Evaluation lives in routing/evaluate-condition-query.ts.
 */

export const comparisonOperators: ReadonlySet<string> = new Set([
  '$eq',
  '$ne',
  '$gt',
  '$gte',
  '$lt',
  '$lte',
  '$in',
  '$nin',
  '$regex',
]);

/** One problem in a query: the exact path of the bad part, and what is wrong with it. */
export interface ConditionQueryProblem {
  path: string;
  message: string;
}

/**
 * Checks a query before it is used, returning the first problem prefixed with the exact
 * path of the bad part, or undefined when the query is valid.
 *
 * @example
 * validateConditionQuery({ $or: [{}, { $foo: 1 }] }, 'strategy.conditions[0].query');
 * // 'strategy.conditions[0].query.$or[1]: unknown operator $foo'
 */
export function validateConditionQuery(query: unknown, path: string): string | undefined {
  const problem = findConditionQueryProblem(query, path);
  return problem === undefined ? undefined : `${problem.path}: ${problem.message}`;
}

/** {@link validateConditionQuery} with the path and the message kept apart. */
export function findConditionQueryProblem(query: unknown, path: string): ConditionQueryProblem | undefined {
  if (!isPlainObject(query)) return { path, message: `expected a query object, received ${describeType(query)}` };
  for (const [key, value] of Object.entries(query)) {
    const keyPath = appendPathKey(path, key);
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) {
        return { path: keyPath, message: `expected an array of queries, received ${describeType(value)}` };
      }
      if (value.length === 0) return { path: keyPath, message: 'expected at least one query' };
      for (const [index, subQuery] of value.entries()) {
        const problem = findConditionQueryProblem(subQuery, appendPathIndex(keyPath, index));
        if (problem !== undefined) return problem;
      }
      continue;
    }
    if (key.startsWith('$')) return { path, message: `unknown operator ${key}` };
    const badField = describeBadFieldPath(key);
    if (badField !== undefined) return { path, message: badField };
    const problem = findFieldConditionProblem(value, keyPath);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Why a field path cannot be read, or undefined when it can: `metadata.<key>` (the rest of
 * the path is one key, dots included), `params.<a.b.0.c>` (a walk into the body, with number
 * segments indexing arrays), or `url.pathname`.
 */
export function describeBadFieldPath(path: string): string | undefined {
  if (path === 'url.pathname') return undefined;
  if (path.startsWith('metadata.') && path.length > 'metadata.'.length) return undefined;
  if (path.startsWith('params.')) {
    const segments = path.slice('params.'.length).split('.');
    if (segments.every((segment) => segment !== '')) return undefined;
  }
  return `unknown field ${JSON.stringify(path)}; use metadata.<key>, params.<path> or url.pathname`;
}

function findFieldConditionProblem(condition: unknown, path: string): ConditionQueryProblem | undefined {
  if (isPrimitive(condition)) return undefined;
  if (!isPlainObject(condition)) {
    return {
      path,
      message: `expected a value or an operator object such as {"$eq": ...}, received ${describeType(condition)}`,
    };
  }
  const entries = Object.entries(condition);
  if (entries.length === 0) return { path, message: 'expected at least one operator' };
  for (const [operator, operand] of entries) {
    if (!operator.startsWith('$')) {
      return { path, message: `expected operators such as $eq, found key ${JSON.stringify(operator)}` };
    }
    if (!comparisonOperators.has(operator)) return { path, message: `unknown operator ${operator}` };
    const problem = findOperandProblem(operator, operand, appendPathKey(path, operator));
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const expectedPrimitive = 'expected a string, number, boolean or null';

function findOperandProblem(operator: string, operand: unknown, path: string): ConditionQueryProblem | undefined {
  switch (operator) {
    case '$eq':
    case '$ne':
      return isPrimitive(operand) ? undefined : { path, message: `${expectedPrimitive}, received ${describeType(operand)}` };
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte':
      return typeof operand === 'string' || isFiniteNumber(operand)
        ? undefined
        : { path, message: `expected a number or a string, received ${describeType(operand)}` };
    case '$in':
    case '$nin':
      if (!Array.isArray(operand)) return { path, message: `expected an array, received ${describeType(operand)}` };
      for (const [index, item] of operand.entries()) {
        if (!isPrimitive(item)) {
          return { path: appendPathIndex(path, index), message: `${expectedPrimitive}, received ${describeType(item)}` };
        }
      }
      return undefined;
    default: {
      if (typeof operand !== 'string') return { path, message: `expected a string, received ${describeType(operand)}` };
      const problem = describeBadPattern(operand);
      return problem === undefined ? undefined : { path, message: problem };
    }
  }
}

function isPrimitive(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || isFiniteNumber(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
