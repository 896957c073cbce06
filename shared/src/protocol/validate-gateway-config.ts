import { InvalidConfigError } from '../core/gateway-error.ts';
import { GUARDRAIL_FIELDS, gatewayConfigSchema, type GatewayConfig, type RawTargetConfig, type TargetConfig } from './config-schema.ts';
import { appendPathIndex, appendPathKey } from './config-path.ts';
import { type ConfigIssue, describeSchemaIssue } from './describe-config-issue.ts';
import { type GuardrailSpec, parseGuardrailList } from './guardrail-config.ts';
import { findConditionQueryProblem } from './validate-condition-query.ts';

export type { ConfigIssue } from './describe-config-issue.ts';

/**
 * Real configs nest two or three levels; the cap keeps a hostile header from driving the
 * recursive schema and the target-tree walk into a stack overflow (which would be a 500).
 */
export const maxTargetDepth = 16;

/**
 * Validates a Config (parsed JSON from `x-portkey-config` or a saved config): the schema,
 * then the rules a schema cannot express (strategies need targets, conditions name existing
 * targets, queries are well formed, loadbalance has a positive weight, sibling names are
 * unique, guardrails name checks Turnpike runs with valid parameters). Guardrail lists come
 * back merged and normalized (`input_guardrails`, `output_guardrails`; see guardrail-config.ts). Throws InvalidConfigError whose `param` is the Portkey-style path of the first
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
  const config = withGuardrailLists(parsed.data, '', issues);
  if (issues.length > 0) throw configError(issues);
  return config;
}

function configError(issues: readonly ConfigIssue[]): InvalidConfigError {
  const first = issues[0] ?? { path: '', message: 'invalid' };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? 'issue' : 'issues'})` : '';
  const where = first.path === '' ? '' : `${first.path}: `;
  const param = first.path === '' ? 'config' : first.path.startsWith('[') ? `config${first.path}` : `config.${first.path}`;
  return new InvalidConfigError(`Invalid config: ${where}${first.message}${more}`, param);
}

/** The semantic rules, depth first, a node's own problems before its children's. */
function collectTargetIssues(target: RawTargetConfig, path: string, issues: ConfigIssue[]): void {
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

/** Whether a target and its descendants name no guardrail: such a tree is already a TargetConfig. */
function hasNoGuardrails(target: RawTargetConfig): target is RawTargetConfig & TargetConfig {
  return GUARDRAIL_FIELDS.every((field) => target[field] === undefined) && (target.targets ?? []).every(hasNoGuardrails);
}

/**
 * The target with each node's guardrail lists checked and merged (`input_guardrails` then
 * `before_request_hooks`, `output_guardrails` then `after_request_hooks`). A Config without
 * guardrails comes back as it is.
 */
function withGuardrailLists(target: RawTargetConfig, path: string, issues: ConfigIssue[]): TargetConfig {
  if (hasNoGuardrails(target)) return target;
  const { input_guardrails, output_guardrails, before_request_hooks, after_request_hooks, beforeRequestHooks, afterRequestHooks, targets, ...rest } = target;
  const result: TargetConfig = rest;
  if (targets !== undefined) {
    result.targets = targets.map((child, index) => withGuardrailLists(child, appendPathIndex(appendPathKey(path, 'targets'), index), issues));
  }
  const read = (names: readonly (keyof RawTargetConfig)[], lists: readonly (unknown[] | undefined)[]): GuardrailSpec[] | undefined => {
    if (lists.every((list) => list === undefined)) return undefined;
    return lists.flatMap((list, index) => (list === undefined ? [] : parseGuardrailList(list, appendPathKey(path, String(names[index])), issues)));
  };
  const input = read(['input_guardrails', 'before_request_hooks', 'beforeRequestHooks'], [input_guardrails, before_request_hooks, beforeRequestHooks]);
  const output = read(['output_guardrails', 'after_request_hooks', 'afterRequestHooks'], [output_guardrails, after_request_hooks, afterRequestHooks]);
  if (input !== undefined) result.input_guardrails = input;
  if (output !== undefined) result.output_guardrails = output;
  return result;
}
