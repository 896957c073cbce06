import { describe, expect, it } from 'vitest';
import { compileConditionPattern, describeBadPattern } from '../../../shared/src/protocol/condition-pattern.ts';

describe('describeBadPattern', () => {
  it.each([
    '^gpt-4',
    '^/v1/(chat|completions)$',
    '(?:ab)+c',
    '\\d+(\\.\\d+)?',
    '(a+)?',
    '(a)+',
    '[(]+',
    '\\(a+\\)+',
    'x{2,5}',
    '(ab){3}',
    '(a{2})+',
    '(?<name>a+)b',
    '(?=a+)b',
    '[a-z]+@[a-z]+\\.com',
    'a{,5}+',
  ])('accepts %s', (pattern) => {
    expect(describeBadPattern(pattern)).toBeUndefined();
  });

  it.each(['(a+)+$', '(a*)*b', '(\\w+\\s?)+$', '((ab)+)+', '(?:x+)*', '(a+){2,}', '(a+){2,10}', '(.*a){3}', '([a-z]+)+'])(
    'refuses %s as catastrophic',
    (pattern) => {
      expect(describeBadPattern(pattern)).toMatch(/catastrophic backtracking/);
    },
  );

  it('refuses invalid syntax and long patterns', () => {
    expect(describeBadPattern('(')).toMatch(/Invalid regular expression/);
    expect(describeBadPattern('[z-a]')).toMatch(/Invalid regular expression/);
    expect(describeBadPattern('x'.repeat(501))).toBe('pattern is longer than 500 characters');
  });
});

describe('compileConditionPattern', () => {
  it('returns the same RegExp for the same pattern', () => {
    const first = compileConditionPattern('^gpt-');
    expect(compileConditionPattern('^gpt-')).toBe(first);
    expect(first.test('gpt-4o')).toBe(true);
    expect(first.flags).toBe('');
  });

  it('keeps working past the size of its cache', () => {
    for (let index = 0; index < 600; index += 1) expect(compileConditionPattern(`^p${index}$`).test(`p${index}`)).toBe(true);
  });

  it('throws on a refused pattern', () => {
    expect(() => compileConditionPattern('(a+)+')).toThrow(/catastrophic/);
  });
});
