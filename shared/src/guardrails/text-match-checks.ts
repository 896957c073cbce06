import { compileConditionPattern } from '../protocol/condition-pattern.ts';
import type { GuardrailCheckParameters } from '../protocol/guardrail-check-parameters.ts';
import { type CheckFunction, NO_TEXT, finding } from './guardrail-check-finding.ts';

/**
 * Longest text a pattern is run on. Patterns are bounded when the Config is read (length, no
 * nested unbounded repeats: protocol/condition-pattern.ts), but a polynomial pattern can still
 * be slow on a huge text. Longer text fails the check whatever `not` says: passing it unchecked
 * would let anyone slip past a deny rule by padding the message.
 */
export const MAX_REGEX_TEXT_LENGTH = 100_000;

/** Portkey's regexMatch: the pattern (JavaScript syntax, no flags) matches somewhere in the text. */
export const regexMatch: CheckFunction<GuardrailCheckParameters['regexMatch']> = ({ rule }, { text }) => {
  if (text === '') return NO_TEXT;
  if (text.length > MAX_REGEX_TEXT_LENGTH) {
    const message = `The text has ${text.length} characters; patterns are run on at most ${MAX_REGEX_TEXT_LENGTH}.`;
    return { kind: 'fail', message, data: { regexPattern: rule, explanation: message } };
  }
  const match = compileConditionPattern(rule).exec(text);
  const explanation = match === null ? `The pattern ${JSON.stringify(rule)} did not match the text.` : `The pattern ${JSON.stringify(rule)} matched the text.`;
  return finding(match !== null, explanation, { regexPattern: rule, matchedText: match?.[0] ?? null });
};

/** Portkey's contains: any, all or none of the words or phrases appear (case-sensitive substrings). */
export const contains: CheckFunction<GuardrailCheckParameters['contains']> = ({ words, operator = 'any' }, { text }) => {
  const found = words.filter((word) => text.includes(word));
  const holds = operator === 'any' ? found.length > 0 : operator === 'all' ? found.length === words.length : found.length === 0;
  const explanation = found.length === 0 ? 'None of the words were found.' : `Found ${found.map((word) => JSON.stringify(word)).join(', ')}.`;
  return finding(holds, `${explanation} Operator: ${operator}.`, { operator, foundWords: found });
};

/** Portkey's endsWith: the text ends with the suffix, or with the suffix and a full stop. */
export const endsWith: CheckFunction<GuardrailCheckParameters['endsWith']> = ({ suffix }, { text }) => {
  if (text === '') return NO_TEXT;
  const holds = text.endsWith(suffix) || text.endsWith(`${suffix}.`);
  return finding(holds, holds ? `The text ends with ${JSON.stringify(suffix)}.` : `The text does not end with ${JSON.stringify(suffix)}.`, { suffix });
};

/** Portkey's alluppercase: no lowercase letter in the text (any script). */
export const allUppercase: CheckFunction<GuardrailCheckParameters['alluppercase']> = (_parameters, { text }) => {
  if (text === '') return NO_TEXT;
  const holds = !/\p{Ll}/u.test(text);
  return finding(holds, holds ? 'Every letter is uppercase.' : 'The text has lowercase letters.');
};

/** Portkey's alllowercase (also `isAllLowerCase`): no uppercase letter in the text. */
export const allLowercase: CheckFunction<GuardrailCheckParameters['alllowercase']> = (_parameters, { text }) => {
  if (text === '') return NO_TEXT;
  const holds = !/\p{Lu}/u.test(text);
  return finding(holds, holds ? 'Every letter is lowercase.' : 'The text has uppercase letters.');
};

/** Portkey's notNull: there is text besides whitespace. */
export const notNull: CheckFunction<GuardrailCheckParameters['notNull']> = (_parameters, { text }) => {
  const holds = text.trim() !== '';
  return finding(holds, holds ? 'The content is present.' : 'The content is null, empty or only whitespace.', { isNull: !holds });
};

/**
 * Portkey's modelWhitelist: the request's model (after override_params) is one of `models`,
 * compared exactly. A request without a model is not on the list.
 */
export const modelWhitelist: CheckFunction<GuardrailCheckParameters['modelWhitelist']> = ({ models }, { model }) => {
  const holds = model !== undefined && models.includes(model);
  const explanation =
    model === undefined ? 'The request names no model.' : `Model ${JSON.stringify(model)} is ${holds ? '' : 'not '}in the allowed list.`;
  return finding(holds, explanation, { requestedModel: model ?? null, allowedModels: models });
};
