import type { JsonObject } from '../core/json.ts';
import type { GuardrailCheckSpec } from '../protocol/guardrail-check-parameters.ts';
import type { GuardrailDefinition, GuardrailFeedback } from '../protocol/guardrail-config.ts';
import { containsCode, validUrls } from './code-and-url-checks.ts';
import type { CheckContext, CheckFinding } from './guardrail-check-finding.ts';
import type { CheckOutcome, CheckResult, HookResult } from './hook-result.ts';
import { jsonKeys, jsonSchema } from './json-checks.ts';
import { characterCount, sentenceCount, wordCount } from './text-count-checks.ts';
import { allLowercase, allUppercase, contains, endsWith, modelWhitelist, notNull, regexMatch } from './text-match-checks.ts';

function findingOf(spec: GuardrailCheckSpec, context: CheckContext): CheckFinding {
  switch (spec.name) {
    case 'regexMatch':
      return regexMatch(spec.parameters, context);
    case 'contains':
      return contains(spec.parameters, context);
    case 'wordCount':
      return wordCount(spec.parameters, context);
    case 'sentenceCount':
      return sentenceCount(spec.parameters, context);
    case 'characterCount':
      return characterCount(spec.parameters, context);
    case 'jsonSchema':
      return jsonSchema(spec.parameters, context);
    case 'jsonKeys':
      return jsonKeys(spec.parameters, context);
    case 'containsCode':
      return containsCode(spec.parameters, context);
    case 'endsWith':
      return endsWith(spec.parameters, context);
    case 'alluppercase':
      return allUppercase(spec.parameters, context);
    case 'alllowercase':
      return allLowercase(spec.parameters, context);
    case 'validUrls':
      return validUrls(spec.parameters, context);
    case 'modelWhitelist':
      return modelWhitelist(spec.parameters, context);
    case 'notNull':
      return notNull(spec.parameters, context);
  }
}

/**
 * Run one check and apply `not` (Portkey's inversion: `not: true` passes exactly when the check
 * would fail). A check that throws (a bug, never a verdict) counts as unable to run.
 */
export function runGuardrailCheck(spec: GuardrailCheckSpec, context: CheckContext): CheckOutcome {
  const not = spec.parameters.not ?? false;
  let found: CheckFinding;
  try {
    found = findingOf(spec, context);
  } catch {
    found = { kind: 'error', message: 'The check failed to run.', data: { explanation: 'The check failed to run.' } };
  }
  switch (found.kind) {
    case 'holds': {
      const verdict = found.holds !== not;
      return { verdict, data: { ...found.data, not, verdict } };
    }
    case 'fail':
      return { verdict: false, data: { ...found.data, not, verdict: false } };
    case 'error':
      return { verdict: false, data: { ...found.data, not }, error: found.message };
  }
}

function feedbackOf(feedback: GuardrailFeedback | undefined, checks: readonly CheckResult[]): JsonObject | null {
  if (feedback === undefined) return null;
  const ids = (keep: (check: CheckResult) => boolean): string => checks.filter(keep).map((check) => check.id).join(', ');
  return {
    value: feedback.value,
    weight: feedback.weight,
    metadata: {
      ...feedback.metadata,
      successfulChecks: ids((check) => check.verdict),
      failedChecks: ids((check) => !check.verdict && check.error === null),
      erroredChecks: ids((check) => !check.verdict && check.error !== null),
    },
  };
}

/**
 * Run a guardrail's enabled checks on `context` and report in Portkey's `hook_results` shape.
 * The guardrail passes when every check passed or could not run (Portkey's rule); `deny` is set
 * in the result when the guardrail denies and failed. `now` gives epoch milliseconds.
 */
export function evaluateGuardrail(definition: GuardrailDefinition, context: CheckContext, now: () => number): HookResult {
  const startedAt = now();
  const checks = definition.checks
    .filter((check) => check.enabled)
    .map((spec): CheckResult => {
      const checkStartedAt = now();
      const outcome = runGuardrailCheck(spec, context);
      return {
        id: spec.id,
        verdict: outcome.verdict,
        data: outcome.data,
        error: outcome.error === undefined ? null : { name: 'Check error', message: outcome.error },
        execution_time: now() - checkStartedAt,
        transformed: false,
        created_at: new Date(checkStartedAt).toISOString(),
        log: null,
      };
    });
  const verdict = checks.every((check) => check.verdict || check.error !== null);
  return {
    verdict,
    id: definition.id,
    transformed: false,
    checks,
    feedback: feedbackOf(verdict ? definition.onSuccess : definition.onFail, checks),
    execution_time: now() - startedAt,
    async: definition.async,
    type: 'guardrail',
    created_at: new Date(startedAt).toISOString(),
    deny: definition.deny && !verdict,
  };
}
