import type { GuardrailCheckParameters } from '../protocol/guardrail-check-parameters.ts';
import { type CheckFunction, type CheckFinding, NO_TEXT, finding } from './guardrail-check-finding.ts';

/**
 * Portkey's range checks: words, sentences, characters. A bound left out is open (Portkey's
 * defaults, 0 and 99 999 words, are the same for any real text).
 */

/** The names Portkey gives a check's count and bounds in its `data`. */
type FactNames = readonly [count: string, minimum: string, maximum: string];

function inRange(count: number, minimum: number | undefined, maximum: number | undefined, unit: string, names: FactNames): CheckFinding {
  const low = minimum ?? 0;
  const range = maximum === undefined ? `at least ${low}` : `${low} to ${maximum}`;
  const holds = count >= low && (maximum === undefined || count <= maximum);
  const [countName, minimumName, maximumName] = names;
  return finding(holds, `The text has ${count} ${unit}; the range is ${range}.`, { [countName]: count, [minimumName]: low, [maximumName]: maximum ?? null });
}

/** Words are runs of non-whitespace, as in Portkey. */
export const wordCount: CheckFunction<GuardrailCheckParameters['wordCount']> = (parameters, { text }) => {
  const words = text.trim().split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return NO_TEXT;
  return inRange(words.length, parameters.minWords, parameters.maxWords, words.length === 1 ? 'word' : 'words', ['wordCount', 'minWords', 'maxWords']);
};

/**
 * A sentence ends with `.`, `!` or `?` (a run of them, as in "Wait..." or "Really?!", ends one
 * sentence) followed by whitespace or the end; trailing text without an ending counts as one
 * more. Empty text has 0 sentences, as in Portkey.
 */
export function countSentences(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '') return 0;
  const endings = trimmed.match(/[.!?]+(?=\s|$)/g)?.length ?? 0;
  return /[.!?]$/.test(trimmed) ? endings : endings + 1;
}

export const sentenceCount: CheckFunction<GuardrailCheckParameters['sentenceCount']> = (parameters, { text }) => {
  const count = countSentences(text);
  return inRange(count, parameters.minSentences, parameters.maxSentences, count === 1 ? 'sentence' : 'sentences', ['sentenceCount', 'minCount', 'maxCount']);
};

/** Characters are Unicode code points, so an emoji counts once. */
export const characterCount: CheckFunction<GuardrailCheckParameters['characterCount']> = (parameters, { text }) => {
  let count = 0;
  for (const _character of text) count += 1;
  return inRange(count, parameters.minCharacters, parameters.maxCharacters, count === 1 ? 'character' : 'characters', [
    'characterCount',
    'minCharacters',
    'maxCharacters',
  ]);
};
