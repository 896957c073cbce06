import type { JsonObject } from '../core/json.ts';

/**
 * Guardrail results in the shape Portkey returns them in `hook_results`
 * (https://portkey.ai/docs/product/guardrails, "Understanding Guardrail Response Structure"),
 * so clients written against Portkey read them unchanged.
 */

/** What one check concluded. */
export interface CheckOutcome {
  /** true = passed. */
  verdict: boolean;
  /** Check-specific facts (counts, limits, `explanation`), as Portkey's `data`. */
  data: JsonObject;
  /** Set when the check could not run (no text to look at); such a check does not fail its guardrail. */
  error?: string;
}

export interface CheckResult extends JsonObject {
  id: string;
  verdict: boolean;
  data: JsonObject;
  error: { name: string; message: string } | null;
  execution_time: number;
  transformed: false;
  created_at: string;
  log: null;
}

export interface HookResult extends JsonObject {
  /** true when every check passed (or could not run). */
  verdict: boolean;
  id: string;
  transformed: false;
  checks: CheckResult[];
  feedback: JsonObject | null;
  execution_time: number;
  async: boolean;
  type: 'guardrail';
  created_at: string;
  /** Whether this guardrail refused the request: `deny` was set and it failed. */
  deny: boolean;
}
