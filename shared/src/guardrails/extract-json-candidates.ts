import type { JsonValue } from '../core/json.ts';

/** At most this many JSON values are taken from one text. */
const MAX_CANDIDATES = 20;
/**
 * Bounds on the search through prose: how many `{` are tried and how far into the text, so
 * an answer full of unbalanced braces costs a bounded scan instead of a quadratic one.
 */
const MAX_OBJECT_STARTS = 50;
const MAX_SCANNED_CHARACTERS = 200_000;

const FENCED_BLOCK = /```+(?:json)?[^\S\n]*\n?([\s\S]*?)```+/g;

function parse(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

/** The end (exclusive) of the balanced `{…}` or `[…]` starting at `start`, skipping strings; -1 if it never closes. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '{' || character === '[') depth++;
    else if (character === '}' || character === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return -1;
}

/**
 * The JSON values an answer holds, the way models write them: the contents of fenced code
 * blocks (```json … ```) when there are any; otherwise the whole text when it is JSON; otherwise
 * each top-level `{…}` object found in the prose (within the bounds above). Text that is not
 * JSON is skipped.
 */
export function extractJsonCandidates(text: string): JsonValue[] {
  const fenced = [...text.matchAll(FENCED_BLOCK)].map((match) => parse((match[1] ?? '').trim()));
  const fromBlocks = fenced.filter((value): value is JsonValue => value !== undefined);
  if (fenced.length > 0) return fromBlocks.slice(0, MAX_CANDIDATES);
  const whole = parse(text.trim());
  if (whole !== undefined) return [whole];
  const found: JsonValue[] = [];
  const prose = text.slice(0, MAX_SCANNED_CHARACTERS);
  let tries = 0;
  for (let start = prose.indexOf('{'); start !== -1 && found.length < MAX_CANDIDATES && tries < MAX_OBJECT_STARTS; start = prose.indexOf('{', start + 1)) {
    tries++;
    const end = balancedEnd(prose, start);
    if (end === -1) break;
    const value = parse(prose.slice(start, end));
    if (value !== undefined) {
      found.push(value);
      start = end - 1;
    }
  }
  return found;
}
