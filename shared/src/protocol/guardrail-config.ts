import * as z from './zod-mini-english.ts';
import { describeBadPattern } from './condition-pattern.ts';
import { appendPathIndex, appendPathKey } from './config-path.ts';
import { type ConfigIssue, describeSchemaIssue, describeType } from './describe-config-issue.ts';
import {
  type GuardrailCheckSpec,
  canonicalCheckId,
  guardrailCheckName,
  guardrailCheckSchemas,
  unknownCheckMessage,
} from './guardrail-check-parameters.ts';
import { findJsonSchemaProblem } from './json-schema-subset.ts';

/**
 * Guardrails in a Config, in the forms Portkey accepts, turned into one validated form:
 * - a saved guardrail's id: `"input_guardrails": ["pii-check"]` (or `{"id": "pii-check"}`);
 * - Portkey's raw shorthand: `{"default.contains": {"operator": "none", "words": ["x"]}, "deny": true}`,
 *   whose keys are check ids (a bare `contains` means `default.contains`) besides the actions;
 * - the older hook form: `{"type": "guardrail", "checks": [{"id": "default.contains", "parameters": {…}}], "deny": true}`.
 * https://portkey.ai/docs/product/guardrails/creating-raw-guardrails-in-json
 */

/** Where a guardrail runs: on the request (`input_guardrails`) or on the answer (`output_guardrails`). */
export type GuardrailHook = 'input' | 'output';

/** Portkey's feedback action: recorded with the verdict as a feedback on the request. */
export interface GuardrailFeedback {
  value: number;
  weight: number;
  metadata: Record<string, string>;
}

/** A guardrail ready to run: its checks and what a failure does. */
export interface GuardrailDefinition {
  /** Shown as `hook_results[].id`: the saved guardrail's id, the config's `id`/`name`, else its Config path (`config.input_guardrails[0]`). */
  id: string;
  checks: readonly GuardrailCheckSpec[];
  /** A failed check refuses the request (446) instead of flagging it (246). */
  deny: boolean;
  /** The verdict is only logged; it never changes the answer. */
  async: boolean;
  onFail: GuardrailFeedback | undefined;
  onSuccess: GuardrailFeedback | undefined;
}

/** One entry of a guardrail list, validated; `path` is where it sits in the Config (`config.input_guardrails[0]`). */
export type GuardrailSpec =
  | { kind: 'saved'; id: string; path: string }
  | { kind: 'inline'; definition: GuardrailDefinition; path: string };

/** Most guardrails in one list, and checks in one guardrail. */
export const MAX_GUARDRAILS = 20;
export const MAX_GUARDRAIL_CHECKS = 20;

/** Shorthand keys that are actions or labels, not checks (Portkey's list, plus `name`). */
const ACTION_KEYS = new Set(['deny', 'async', 'on_fail', 'on_success', 'id', 'name', 'type', 'sequential']);

const feedbackSchema = z.strictObject({
  feedback: z.strictObject({
    value: z.number().check(z.minimum(-10), z.maximum(10)),
    weight: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    metadata: z.optional(z.record(z.string(), z.string())),
  }),
});

const labelSchema = z.string().check(z.minLength(1), z.maxLength(200));

const actionFields = {
  deny: z.optional(z.boolean()),
  async: z.optional(z.boolean()),
  on_fail: z.optional(feedbackSchema),
  on_success: z.optional(feedbackSchema),
  id: z.optional(labelSchema),
  name: z.optional(labelSchema),
  type: z.optional(z.literal('guardrail', { error: 'only "guardrail" hooks are supported' })),
  // Checks run one after the other in any case; accepted so Portkey configs load.
  sequential: z.optional(z.boolean()),
};
const actionsSchema = z.strictObject(actionFields);

const hookCheckSchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  parameters: z.optional(z.record(z.string(), z.unknown())),
  is_enabled: z.optional(z.boolean()),
});
const hookChecksSchema = z.array(hookCheckSchema).check(z.minLength(1), z.maxLength(MAX_GUARDRAIL_CHECKS));
const hookSchema = z.strictObject({ ...actionFields, checks: hookChecksSchema });

/** The body fields of a saved guardrail: Portkey's admin API shape (`checks`, `actions`). */
export const savedGuardrailActionsSchema = z.strictObject({
  deny: actionFields.deny,
  async: actionFields.async,
  on_fail: actionFields.on_fail,
  on_success: actionFields.on_success,
});

type Actions = z.infer<typeof actionsSchema>;

function feedbackOf(action: Actions['on_fail']): GuardrailFeedback | undefined {
  if (action === undefined) return undefined;
  const { value, weight, metadata } = action.feedback;
  return { value, weight: weight ?? 1, metadata: metadata ?? {} };
}

function parseWith<T>(schema: z.ZodMiniType<T>, value: unknown, path: string, issues: ConfigIssue[]): T | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  issues.push(...parsed.error.issues.flatMap((issue) => describeSchemaIssue(issue, value, path)));
  return undefined;
}

/** The rules beyond each schema: safe regexes, a schema the validator understands, min ≤ max. */
function checkParameterRules(spec: GuardrailCheckSpec, path: string): ConfigIssue | undefined {
  switch (spec.name) {
    case 'regexMatch': {
      const problem = describeBadPattern(spec.parameters.rule);
      return problem === undefined ? undefined : { path: appendPathKey(path, 'rule'), message: problem };
    }
    case 'jsonSchema':
      return findJsonSchemaProblem(spec.parameters.schema, appendPathKey(path, 'schema'));
    case 'wordCount':
      return checkRange(spec.parameters.minWords, spec.parameters.maxWords, 'minWords', 'maxWords', path);
    case 'sentenceCount':
      return checkRange(spec.parameters.minSentences, spec.parameters.maxSentences, 'minSentences', 'maxSentences', path);
    case 'characterCount':
      return checkRange(spec.parameters.minCharacters, spec.parameters.maxCharacters, 'minCharacters', 'maxCharacters', path);
    default:
      return undefined;
  }
}

function checkRange(minimum: number | undefined, maximum: number | undefined, minName: string, maxName: string, path: string): ConfigIssue | undefined {
  if (minimum === undefined && maximum === undefined) return { path, message: `set ${minName}, ${maxName} or both` };
  if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
    return { path: appendPathKey(path, minName), message: `must be <= ${maxName} (${maximum})` };
  }
  return undefined;
}

/** One check from its id and parameters; `path` points at the parameters. */
function parseCheck(id: string, parameters: unknown, enabled: boolean | undefined, idPath: string, path: string, issues: ConfigIssue[]): GuardrailCheckSpec | undefined {
  const name = guardrailCheckName(id);
  if (name === undefined) {
    issues.push({ path: idPath, message: unknownCheckMessage(id) });
    return undefined;
  }
  const parsed = parseWith<GuardrailCheckSpec['parameters']>(guardrailCheckSchemas[name], parameters ?? {}, path, issues);
  if (parsed === undefined) return undefined;
  const spec = { id: canonicalCheckId(id), name, parameters: parsed, enabled: enabled ?? parsed.is_enabled ?? true } as GuardrailCheckSpec;
  const problem = checkParameterRules(spec, path);
  if (problem !== undefined) {
    issues.push(problem);
    return undefined;
  }
  return spec;
}

function definitionOf(actions: Actions, checks: GuardrailCheckSpec[], fallbackId: string): GuardrailDefinition {
  return {
    id: actions.id ?? actions.name ?? fallbackId,
    checks,
    deny: actions.deny ?? false,
    async: actions.async ?? false,
    onFail: feedbackOf(actions.on_fail),
    onSuccess: feedbackOf(actions.on_success),
  };
}

/** Portkey's shorthand: every key that is not an action is a check id. */
function parseShorthand(entry: Record<string, unknown>, path: string, issues: ConfigIssue[]): GuardrailDefinition | undefined {
  const actionEntries = Object.entries(entry).filter(([key]) => ACTION_KEYS.has(key));
  const checkEntries = Object.entries(entry).filter(([key]) => !ACTION_KEYS.has(key));
  const actions = parseWith(actionsSchema, Object.fromEntries(actionEntries), path, issues);
  if (checkEntries.length > MAX_GUARDRAIL_CHECKS) {
    issues.push({ path, message: `a guardrail has at most ${MAX_GUARDRAIL_CHECKS} checks` });
    return undefined;
  }
  const checks: GuardrailCheckSpec[] = [];
  for (const [id, parameters] of checkEntries) {
    const checkPath = appendPathKey(path, id);
    const check = parseCheck(id, parameters, undefined, checkPath, checkPath, issues);
    if (check !== undefined) checks.push(check);
  }
  if (actions === undefined || checks.length !== checkEntries.length) return undefined;
  return definitionOf(actions, checks, `config.${path}`);
}

/** The hook form, with a `checks` array. */
function parseHookForm(entry: Record<string, unknown>, path: string, issues: ConfigIssue[]): GuardrailDefinition | undefined {
  const hook = parseWith(hookSchema, entry, path, issues);
  if (hook === undefined) return undefined;
  const { checks: hookChecks, ...actions } = hook;
  const checks = parseCheckList(hookChecks, appendPathKey(path, 'checks'), issues);
  return checks === undefined ? undefined : definitionOf(actions, checks, `config.${path}`);
}

function parseCheckList(hookChecks: z.infer<typeof hookChecksSchema>, path: string, issues: ConfigIssue[]): GuardrailCheckSpec[] | undefined {
  const checks: GuardrailCheckSpec[] = [];
  for (const [index, check] of hookChecks.entries()) {
    const checkPath = appendPathIndex(path, index);
    const parsed = parseCheck(check.id, check.parameters, check.is_enabled, appendPathKey(checkPath, 'id'), appendPathKey(checkPath, 'parameters'), issues);
    if (parsed !== undefined) checks.push(parsed);
  }
  return checks.length === hookChecks.length ? checks : undefined;
}

function parseEntry(entry: unknown, path: string, issues: ConfigIssue[]): GuardrailSpec | undefined {
  if (typeof entry === 'string') {
    if (entry.length === 0 || entry.length > 200) {
      issues.push({ path, message: 'a saved guardrail id has 1 to 200 characters' });
      return undefined;
    }
    return { kind: 'saved', id: entry, path };
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    issues.push({ path, message: `expected a saved guardrail id or a guardrail object, received ${describeType(entry)}` });
    return undefined;
  }
  const fields = entry as Record<string, unknown>;
  const keys = Object.keys(fields);
  // `{"id": "pii-check"}` (Portkey's hook form of a saved guardrail) names it; it has no checks.
  const namesSaved = typeof fields.id === 'string' && keys.every((key) => key === 'id' || key === 'type') && (fields.type === undefined || fields.type === 'guardrail');
  if (namesSaved) return parseEntry(fields.id, path, issues);
  const definition = 'checks' in fields ? parseHookForm(fields, path, issues) : parseShorthand(fields, path, issues);
  if (definition === undefined) return undefined;
  if (definition.checks.length === 0) {
    issues.push({ path, message: 'a guardrail needs at least one check (such as "default.contains"); to use a saved guardrail give only its id' });
    return undefined;
  }
  return { kind: 'inline', definition, path };
}

/** Validate one guardrail list of a Config (`value` already known to be an array); `path` is the list's. */
export function parseGuardrailList(value: readonly unknown[], path: string, issues: ConfigIssue[]): GuardrailSpec[] {
  const specs: GuardrailSpec[] = [];
  for (const [index, entry] of value.entries()) {
    const spec = parseEntry(entry, appendPathIndex(path, index), issues);
    if (spec !== undefined) specs.push(spec);
  }
  return specs;
}

/** A saved guardrail's body as stored (Portkey's admin shape: `checks` and `actions`). */
export interface SavedGuardrailBody {
  checks: unknown;
  actions?: unknown;
}

/**
 * Validate a saved guardrail (`checks` and `actions`) into a definition whose id is `id`. The
 * admin API checks it on save; the gateway again on read (what it stored may be older than the
 * running code). Issues carry paths below `path` (`checks[0].parameters.rule`).
 */
export function parseSavedGuardrail(id: string, body: SavedGuardrailBody, issues: ConfigIssue[], path = ''): GuardrailDefinition | undefined {
  const hookChecks = parseWith(hookChecksSchema, body.checks, appendPathKey(path, 'checks'), issues);
  const actions = parseWith(savedGuardrailActionsSchema, body.actions ?? {}, appendPathKey(path, 'actions'), issues);
  if (hookChecks === undefined || actions === undefined) return undefined;
  const checks = parseCheckList(hookChecks, appendPathKey(path, 'checks'), issues);
  return checks === undefined ? undefined : definitionOf({ ...actions, id }, checks, id);
}
