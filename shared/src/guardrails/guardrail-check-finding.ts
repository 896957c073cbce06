import type { JsonObject } from '../core/json.ts';

/** What a check sees: the text under test and, for request-level checks, the model asked for. */
export interface CheckContext {
  text: string;
  /** The request's `model` after the target's override_params; undefined when the body has none. */
  model: string | undefined;
}

/**
 * What a check found, before `not` is applied:
 * - `holds`: the property the check tests (the pattern matched, the count is in range); the
 *   verdict is `holds`, or its opposite when the check has `not: true`;
 * - `error`: the check could not run (no text to look at); as in Portkey, that does not fail
 *   the guardrail;
 * - `fail`: a failure `not` does not turn into a pass (the text is beyond a limit, no JSON or
 *   URL was found at all).
 */
export type CheckFinding =
  | { kind: 'holds'; holds: boolean; data: JsonObject }
  | { kind: 'error'; message: string; data: JsonObject }
  | { kind: 'fail'; message: string; data: JsonObject };

/** A check's implementation: parameters as validated by protocol/guardrail-check-parameters.ts. */
export type CheckFunction<Parameters> = (parameters: Parameters, context: CheckContext) => CheckFinding;

/** The finding of a check that needs text and got none. */
export const NO_TEXT: CheckFinding = { kind: 'error', message: 'There is no text to check.', data: { explanation: 'There is no text to check.' } };

/** `holds` with an explanation beside the check's facts. */
export function finding(holds: boolean, explanation: string, facts: JsonObject = {}): CheckFinding {
  return { kind: 'holds', holds, data: { ...facts, explanation } };
}
