/**
 * `$regex` patterns come from callers (a Config can ride in a request header) and run on
 * the gateway, so they are bounded before they are compiled: a length limit, and no
 * repeated group that itself holds an unbounded repeat (`(a+)+`, `(\w*)*`, `(x+){2,}`),
 * the shape behind exponential backtracking.
 */
export const maxPatternLength = 500;
const maxCachedPatterns = 256;

const compiled = new Map<string, RegExp>();

/** Why a `$regex` pattern is refused, or undefined when it may be used. */
export function describeBadPattern(pattern: string): string | undefined {
  if (pattern.length > maxPatternLength) return `pattern is longer than ${maxPatternLength} characters`;
  try {
    new RegExp(pattern);
  } catch (error) {
    return (error as Error).message;
  }
  if (hasNestedRepetition(pattern)) {
    return 'pattern repeats a group that itself repeats without bound (catastrophic backtracking)';
  }
  return undefined;
}

/** The compiled pattern, from a small cache; throws when {@link describeBadPattern} refuses it. */
export function compileConditionPattern(pattern: string): RegExp {
  const cached = compiled.get(pattern);
  if (cached !== undefined) return cached;
  const problem = describeBadPattern(pattern);
  if (problem !== undefined) throw new Error(problem);
  // No flags: a RegExp without `g` or `y` keeps no lastIndex state and is safe to share.
  const regex = new RegExp(pattern);
  compiled.set(pattern, regex);
  if (compiled.size > maxCachedPatterns) {
    const oldest = compiled.keys().next();
    if (oldest.done !== true) compiled.delete(oldest.value);
  }
  return regex;
}

interface GroupFrame {
  /** Whether the group holds `*`, `+` or `{n,}` at any depth. */
  hasUnboundedRepeat: boolean;
}

/** A scan of the pattern's structure; assumes the pattern already compiled. */
function hasNestedRepetition(pattern: string): boolean {
  const stack: GroupFrame[] = [{ hasUnboundedRepeat: false }];
  // The group that just closed, so a quantifier right after it can be judged.
  let closedGroup: GroupFrame | undefined;
  let index = 0;
  while (index < pattern.length) {
    const character = pattern[index];
    const current = stack[stack.length - 1] ?? { hasUnboundedRepeat: false };
    if (character === '\\') {
      closedGroup = undefined;
      index += 2;
      continue;
    }
    if (character === '[') {
      closedGroup = undefined;
      index = endOfCharacterClass(pattern, index);
      continue;
    }
    if (character === '(') {
      stack.push({ hasUnboundedRepeat: false });
      closedGroup = undefined;
      // `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!`, `(?<name>`: the `?` is syntax, not a quantifier.
      index += pattern[index + 1] === '?' ? 2 : 1;
      continue;
    }
    if (character === ')') {
      const closed = stack.pop() ?? { hasUnboundedRepeat: false };
      const parent = stack[stack.length - 1];
      if (parent !== undefined && closed.hasUnboundedRepeat) parent.hasUnboundedRepeat = true;
      closedGroup = closed;
      index += 1;
      continue;
    }
    const quantifier = readQuantifier(pattern, index);
    if (quantifier !== undefined) {
      if (closedGroup?.hasUnboundedRepeat === true && quantifier.repeats) return true;
      if (quantifier.unbounded) current.hasUnboundedRepeat = true;
      closedGroup = undefined;
      index = quantifier.end;
      // A lazy or possessive-looking suffix (`+?`) is part of the same quantifier.
      if (pattern[index] === '?') index += 1;
      continue;
    }
    closedGroup = undefined;
    index += 1;
  }
  return false;
}

interface Quantifier {
  /** More than one repetition allowed. */
  repeats: boolean;
  /** No upper bound. */
  unbounded: boolean;
  end: number;
}

function readQuantifier(pattern: string, index: number): Quantifier | undefined {
  const character = pattern[index];
  if (character === '*' || character === '+') return { repeats: true, unbounded: true, end: index + 1 };
  if (character === '?') return { repeats: false, unbounded: false, end: index + 1 };
  if (character !== '{') return undefined;
  const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index));
  // Outside unicode mode a `{` that does not open a quantifier is a literal brace.
  if (match === null) return undefined;
  const minimum = Number(match[1]);
  const hasComma = match[2] !== undefined;
  const maximumText = match[3] ?? '';
  const unbounded = hasComma && maximumText === '';
  const maximum = hasComma ? (unbounded ? Number.POSITIVE_INFINITY : Number(maximumText)) : minimum;
  return { repeats: maximum > 1, unbounded, end: index + match[0].length };
}

function endOfCharacterClass(pattern: string, start: number): number {
  let index = start + 1;
  while (index < pattern.length) {
    const character = pattern[index];
    if (character === '\\') index += 2;
    else if (character === ']') return index + 1;
    else index += 1;
  }
  return index;
}
