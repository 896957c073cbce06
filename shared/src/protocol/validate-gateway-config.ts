import type * as z from './zod-mini-english.ts';
import { InvalidConfigError } from '../core/gateway-error.ts';
import { gatewayConfigSchema, type GatewayConfig, type TargetConfig } from './config-schema.ts';
import { appendPathIndex, appendPathKey, formatConfigPath } from './config-path.ts';
import { findConditionQueryProblem } from './validate-condition-query.ts';

/** One thing wrong with a Config: where (`targets[1].retry.attempts`, '' for the root) and what. */
export interface ConfigIssue {
  path: string;
  message: string;
}

/**
 * Real configs nest two or three levels; the cap keeps a hostile header from driving the
 * recursive schema and the target-tree walk into a stack overflow (which would be a 500).
 */
export const maxTargetDepth = 16;

/**
 * Validates a Config (parsed JSON from `x-portkey-config` or a saved config): the schema,
 * then the rules a schema cannot express (strategies need targets, conditions name existing
 * targets, queries are well formed, loadbalance has a positive weight, sibling names are
 * unique). Throws InvalidConfigError whose `param` is the Portkey-style path of the first
 * problem (`config.targets[1].retry.attempts`) and whose message starts with that path.
 *
 * @example
 * validateGatewayConfig({ targets: [{}, { retry: { attempts: '3' } }] });
 * // throws: Invalid config: targets[1].retry.attempts: expected number, received string
 */
export function validateGatewayConfig(input: unknown): GatewayConfig {
  const depthIssue = findTooDeepTarget(input);
  if (depthIssue !== undefined) throw configError([depthIssue]);
  const parsed = gatewayConfigSchema.safeParse(input);
  if (!parsed.success) throw configError(parsed.error.issues.flatMap((issue) => describeSchemaIssue(issue, input)));
  const issues: ConfigIssue[] = [];
  collectTargetIssues(parsed.data, '', issues);
  if (issues.length > 0) throw configError(issues);
  return parsed.data;
}

function configError(issues: readonly ConfigIssue[]): InvalidConfigError {
  const first = issues[0] ?? { path: '', message: 'invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? 'issue' : 'issues'})` : '';
  const where = first.path === '' ? '' : `${first.path}: `;
  const param = first.path === '' ? 'config' : first.path.startsWith('[') ? `config${first.path}` : `config.${first.path}`;
  return new InvalidConfigError(`Invalid config: ${where}${first.message}${more}`, param);
}

function describeSchemaIssue(issue: z.core.$ZodIssue, input: unknown): ConfigIssue[] {
  const path = formatConfigPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      // One issue per key, each pointing at the key itself, so `param` names the typo.
      return issue.keys.map((key) => ({ path: appendPathKey(path, key), message: 'unknown key' }));
    case 'invalid_type': {
      // Schemas that carry their own message (the guardrails refusal) keep it.
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

/** The semantic rules, depth first, a node's own problems before its children's. */
function collectTargetIssues(target: TargetConfig, path: string, issues: ConfigIssue[]): void {
  const targets = target.targets ?? [];
  const targetsPath = appendPathKey(path, 'targets');
  const names = new Set<string>();
  for (const [index, child] of targets.entries()) {
    if (child.name === undefined) continue;
    if (names.has(child.name)) {
      issues.push({
        path: appendPathKey(appendPathIndex(targetsPath, index), 'name'),
        message: `duplicate target name ${JSON.stringify(child.name)}; names must be unique among sibling targets`,
      });
    }
    names.add(child.name);
  }

  const strategy = target.strategy;
  if (strategy !== undefined && strategy.mode !== 'single') {
    const strategyPath = appendPathKey(path, 'strategy');
    if (targets.length === 0) {
      issues.push({ path: targetsPath, message: `required when strategy.mode is "${strategy.mode}"` });
    } else if (strategy.mode === 'loadbalance' && !targets.some((child) => (child.weight ?? 1) > 0)) {
      // An absent weight counts as 1, as Portkey does.
      issues.push({ path: targetsPath, message: 'loadbalance needs at least one target with a positive weight' });
    }
    if (strategy.mode === 'conditional') {
      const conditions = strategy.conditions ?? [];
      if (conditions.length === 0 && strategy.default === undefined) {
        issues.push({ path: strategyPath, message: 'conditional strategy needs conditions or a default' });
      }
      const conditionsPath = appendPathKey(strategyPath, 'conditions');
      for (const [index, condition] of conditions.entries()) {
        const conditionPath = appendPathIndex(conditionsPath, index);
        const problem = findConditionQueryProblem(condition.query, appendPathKey(conditionPath, 'query'));
        if (problem !== undefined) issues.push(problem);
        checkTargetName(condition.then, appendPathKey(conditionPath, 'then'), names, targets.length, issues);
      }
      if (strategy.default !== undefined) {
        checkTargetName(strategy.default, appendPathKey(strategyPath, 'default'), names, targets.length, issues);
      }
    }
  }

  for (const [index, child] of targets.entries()) collectTargetIssues(child, appendPathIndex(targetsPath, index), issues);
}

function checkTargetName(name: string, path: string, names: ReadonlySet<string>, targetCount: number, issues: ConfigIssue[]): void {
  // With no targets at all, the missing `targets` is the problem already reported.
  if (targetCount === 0 || names.has(name)) return;
  const known = names.size === 0 ? 'no target has a name' : `expected one of ${[...names].map((known) => JSON.stringify(known)).join(', ')}`;
  issues.push({ path, message: `no target named ${JSON.stringify(name)}; ${known}` });
}

/** The first target nested deeper than {@link maxTargetDepth}, found without recursion. */
function findTooDeepTarget(input: unknown): ConfigIssue | undefined {
  const pending: { node: unknown; path: string; depth: number }[] = [{ node: input, path: '', depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { node, path, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    const targets = (node as { targets?: unknown }).targets;
    if (!Array.isArray(targets)) continue;
    if (depth >= maxTargetDepth) {
      return { path: appendPathKey(path, 'targets'), message: `targets are nested deeper than ${maxTargetDepth} levels` };
    }
    for (const [index, child] of targets.entries()) {
      pending.push({ node: child, path: appendPathIndex(appendPathKey(path, 'targets'), index), depth: depth + 1 });
    }
  }
  return undefined;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || typeof segment === 'symbol') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0]?.toLowerCase() + text.slice(1) : text;
}
