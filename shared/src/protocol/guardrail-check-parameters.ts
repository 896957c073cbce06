import * as z from './zod-mini-english.ts';

/**
 * The guardrail checks Turnpike runs: the deterministic checks of Portkey's `default` plugin,
 * with Portkey's check ids and parameter names (https://portkey.ai/docs/product/guardrails/list-of-guardrail-checks).
 * Each schema is strict, so a misspelt parameter is a 400 instead of a check that silently
 * passes. `not` inverts a check's verdict as in Portkey; `is_enabled: false` turns a check off.
 */

const not = z.optional(z.boolean());
const isEnabled = z.optional(z.boolean());
const count = () => z.optional(z.number().check(z.int(), z.minimum(0)));
const operator = z.optional(z.enum(['any', 'all', 'none']));
const phrases = () =>
  z.array(z.string().check(z.minLength(1), z.maxLength(1000))).check(z.minLength(1), z.maxLength(1000));

/** Languages `containsCode` recognises, as Portkey names them. */
export const CODE_FORMATS = [
  'SQL',
  'Python',
  'TypeScript',
  'JavaScript',
  'Java',
  'C#',
  'C++',
  'C',
  'Ruby',
  'PHP',
  'Swift',
  'Kotlin',
  'Go',
  'Rust',
  'Scala',
  'R',
  'Perl',
  'Shell',
  'HTML',
  'CSS',
  'XML',
  'JSON',
  'YAML',
  'Markdown',
  'Dockerfile',
] as const;

export const guardrailCheckSchemas = {
  regexMatch: z.strictObject({ rule: z.string().check(z.minLength(1)), not, is_enabled: isEnabled }),
  contains: z.strictObject({ words: phrases(), operator, not, is_enabled: isEnabled }),
  wordCount: z.strictObject({ minWords: count(), maxWords: count(), not, is_enabled: isEnabled }),
  sentenceCount: z.strictObject({ minSentences: count(), maxSentences: count(), not, is_enabled: isEnabled }),
  characterCount: z.strictObject({ minCharacters: count(), maxCharacters: count(), not, is_enabled: isEnabled }),
  jsonSchema: z.strictObject({ schema: z.record(z.string(), z.unknown()), not, is_enabled: isEnabled }),
  jsonKeys: z.strictObject({ keys: phrases(), operator, not, is_enabled: isEnabled }),
  containsCode: z.strictObject({ format: z.enum(CODE_FORMATS), not, is_enabled: isEnabled }),
  endsWith: z.strictObject({ suffix: z.string().check(z.minLength(1)), not, is_enabled: isEnabled }),
  alluppercase: z.strictObject({ not, is_enabled: isEnabled }),
  alllowercase: z.strictObject({ not, is_enabled: isEnabled }),
  // Only the syntax of each URL is checked: fetching or resolving caller-chosen hosts from the
  // gateway would be a server-side request forgery channel. `onlyDNS` is accepted for Portkey
  // configs and changes nothing.
  validUrls: z.strictObject({ onlyDNS: z.optional(z.boolean()), not, is_enabled: isEnabled }),
  modelWhitelist: z.strictObject({ models: phrases(), not, is_enabled: isEnabled }),
  notNull: z.strictObject({ not, is_enabled: isEnabled }),
};

export type GuardrailCheckName = keyof typeof guardrailCheckSchemas;

/** Other ids Portkey uses for the same check. */
const CHECK_ALIASES: Readonly<Record<string, GuardrailCheckName>> = { isAllLowerCase: 'alllowercase' };

export type GuardrailCheckParameters = { [Name in GuardrailCheckName]: z.infer<(typeof guardrailCheckSchemas)[Name]> };

/** One check of a guardrail, validated: its id as written (`default.wordCount`), what runs it, its parameters. */
export type GuardrailCheckSpec = {
  [Name in GuardrailCheckName]: { id: string; name: Name; parameters: GuardrailCheckParameters[Name]; enabled: boolean };
}[GuardrailCheckName];

/** The ids of every supported check (`default.regexMatch`, …), for messages. */
export const SUPPORTED_CHECK_IDS: readonly string[] = [...Object.keys(guardrailCheckSchemas), ...Object.keys(CHECK_ALIASES)].map(
  (name) => `default.${name}`,
);

/**
 * The check a check id names, or undefined for an id Turnpike cannot run. An id without a
 * plugin prefix means Portkey's `default` plugin, as in Portkey's shorthand.
 */
export function guardrailCheckName(id: string): GuardrailCheckName | undefined {
  const dot = id.indexOf('.');
  const plugin = dot === -1 ? 'default' : id.slice(0, dot);
  const name = dot === -1 ? id : id.slice(dot + 1);
  if (plugin !== 'default') return undefined;
  if (Object.hasOwn(guardrailCheckSchemas, name)) return name as GuardrailCheckName;
  return CHECK_ALIASES[name];
}

/** The canonical form of a check id: `wordCount` becomes `default.wordCount`. */
export function canonicalCheckId(id: string): string {
  return id.includes('.') ? id : `default.${id}`;
}

/** Why a check id is refused, in words that say what Turnpike can and cannot run. */
export function unknownCheckMessage(id: string): string {
  const plugin = id.includes('.') ? id.slice(0, id.indexOf('.')) : 'default';
  const runs = `Turnpike runs Portkey's deterministic checks in-process: ${SUPPORTED_CHECK_IDS.join(', ')}`;
  if (plugin !== 'default') {
    return `unknown guardrail check ${JSON.stringify(id)}: partner and hosted checks (such as aporia, pangea or portkey.*) cannot run in this gateway. ${runs}`;
  }
  return `unknown guardrail check ${JSON.stringify(id)}. ${runs}`;
}
