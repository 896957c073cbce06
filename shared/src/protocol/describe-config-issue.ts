import type * as z from './zod-mini-english.ts';
import { appendPathKey, formatConfigPath } from './config-path.ts';

/** One thing wrong with a Config: where (`targets[1].retry.attempts`, '' for the root) and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * A zod issue in the Config's own words: `expected number, received string`, `must be <= 10`,
 * `unknown key` on the key itself. `input` is the value the schema checked (to name what was
 * received) and `basePath` where that value sits in the Config.
 */
export function describeSchemaIssue(issue: z.core.$ZodIssue, input: unknown, basePath = ''): ConfigIssue[] {
  const path = formatConfigPath(issue.path, basePath);
  switch (issue.code) {
    case 'unrecognized_keys':
      // One issue per key, each pointing at the key itself, so `param` names the typo.
      return issue.keys.map((key) => ({ path: appendPathKey(path, key), message: 'unknown key' }));
    case 'invalid_type': {
      // Schemas that carry their own message keep it.
      if (!issue.message.startsWith('Invalid input')) return [{ path, message: issue.message }];
      const received = valueAt(input, issue.path);
      if (received === undefined) return [{ path, message: `required: expected ${expectedName(issue.expected)}` }];
      if (issue.expected === 'int' && typeof received === 'number') {
        return [{ path, message: `expected integer, received ${received}` }];
      }
      return [{ path, message: `expected ${expectedName(issue.expected)}, received ${describeType(received)}` }];
    }
    case 'too_small':
      return [{ path, message: describeBound(issue.origin, issue.minimum, issue.inclusive, 'small') }];
    case 'too_big':
      return [{ path, message: describeBound(issue.origin, issue.maximum, issue.inclusive, 'big') }];
    case 'invalid_value':
      if (!issue.message.startsWith('Invalid')) return [{ path, message: issue.message }];
      return [{ path, message: `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}` }];
    default:
      return [{ path, message: lowerFirst(issue.message) }];
  }
}

function expectedName(expected: string): string {
  if (expected === 'int') return 'integer';
  if (expected === 'record') return 'object';
  return expected;
}

function describeBound(origin: string, limit: number | bigint, inclusive: boolean | undefined, side: 'small' | 'big'): string {
  if (origin === 'array') {
    const count = side === 'small' ? `at least ${limit}` : `at most ${limit}`;
    return `expected ${count} ${limit === 1 ? 'item' : 'items'}`;
  }
  if (origin === 'string') {
    if (side === 'small' && limit === 1) return 'must not be empty';
    return `expected ${side === 'small' ? 'at least' : 'at most'} ${limit} characters`;
  }
  const operator = side === 'small' ? (inclusive === false ? '>' : '>=') : inclusive === false ? '<' : '<=';
  return `must be ${operator} ${limit}`;
}

/** The value a validation issue's `path` points at in `input`, if there is one. */
export function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || typeof segment === 'symbol') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/** `null`, `array`, or the `typeof` of a value, as error messages name what they received. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}
