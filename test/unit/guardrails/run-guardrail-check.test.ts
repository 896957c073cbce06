import { describe, expect, it } from 'vitest';
import { runGuardrailCheck } from '../../../shared/src/guardrails/evaluate-guardrail.ts';
import { MAX_REGEX_TEXT_LENGTH } from '../../../shared/src/guardrails/text-match-checks.ts';
import type { GuardrailCheckParameters, GuardrailCheckSpec } from '../../../shared/src/protocol/guardrail-check-parameters.ts';

/** The verdict of one check on `text` (and `model`), as a guardrail would run it. */
function verdict<Name extends keyof GuardrailCheckParameters>(name: Name, parameters: GuardrailCheckParameters[Name], text: string, model?: string) {
  const spec = { id: `default.${name}`, name, parameters, enabled: true } as GuardrailCheckSpec;
  return runGuardrailCheck(spec, { text, model });
}

/** The verdicts without and with `not: true`. */
function both<Name extends keyof GuardrailCheckParameters>(name: Name, parameters: GuardrailCheckParameters[Name], text: string, model?: string) {
  return [verdict(name, parameters, text, model).verdict, verdict(name, { ...parameters, not: true }, text, model).verdict];
}

describe('regexMatch', () => {
  it('passes when the pattern matches anywhere, and `not` inverts it', () => {
    expect(both('regexMatch', { rule: '\\d{3}-\\d{4}' }, 'call 555-1234 now')).toEqual([true, false]);
    expect(both('regexMatch', { rule: '^\\d+$' }, 'call 555-1234 now')).toEqual([false, true]);
  });

  it('reports the pattern and the matched text', () => {
    expect(verdict('regexMatch', { rule: 'b+' }, 'abbbc').data).toMatchObject({ regexPattern: 'b+', matchedText: 'bbb', not: false, verdict: true });
  });

  it('cannot run on empty text, which does not fail the guardrail', () => {
    expect(verdict('regexMatch', { rule: 'x' }, '')).toMatchObject({ verdict: false, error: 'There is no text to check.' });
  });

  it('fails text longer than the limit whatever `not` says, so padding cannot slip past a deny rule', () => {
    const padded = `${'a'.repeat(MAX_REGEX_TEXT_LENGTH)} secret`;
    expect(both('regexMatch', { rule: 'secret' }, padded)).toEqual([false, false]);
    expect(verdict('regexMatch', { rule: 'secret' }, padded).error).toBeUndefined();
  });
});

describe('contains', () => {
  const text = 'The quick brown fox';
  it.each([
    ['any', ['fox', 'cat'], true],
    ['any', ['cat', 'dog'], false],
    ['all', ['quick', 'fox'], true],
    ['all', ['quick', 'cat'], false],
    ['none', ['cat', 'dog'], true],
    ['none', ['cat', 'fox'], false],
  ] as const)('operator %s with %j gives %s (and `not` the opposite)', (operator, words, expected) => {
    expect(both('contains', { operator, words: [...words] }, text)).toEqual([expected, !expected]);
  });

  it('defaults to any, matches case-sensitively and finds phrases', () => {
    expect(verdict('contains', { words: ['brown fox'] }, text).verdict).toBe(true);
    expect(verdict('contains', { words: ['Fox'] }, text).verdict).toBe(false);
  });
});

describe('wordCount, sentenceCount, characterCount', () => {
  it('counts words as runs of non-whitespace against an inclusive range', () => {
    expect(both('wordCount', { minWords: 2, maxWords: 3 }, '  one two\nthree ')).toEqual([true, false]);
    expect(both('wordCount', { minWords: 4 }, 'one two three')).toEqual([false, true]);
    expect(verdict('wordCount', { maxWords: 3 }, 'one two three').data).toMatchObject({ wordCount: 3, minWords: 0, maxWords: 3 });
  });

  it('cannot count words of empty text', () => {
    expect(verdict('wordCount', { minWords: 1 }, '   ').error).toBeDefined();
  });

  it('counts sentences by their endings, a run of marks ending one, and trailing text as one more', () => {
    const count = (text: string) => verdict('sentenceCount', { minSentences: 0 }, text).data.sentenceCount;
    expect(count('')).toBe(0);
    expect(count('One. Two! Three?')).toBe(3);
    expect(count('Wait... Really?! Yes')).toBe(3);
    expect(count('Version 1.5 is out.')).toBe(1);
    expect(both('sentenceCount', { minSentences: 2, maxSentences: 2 }, 'Hi. Bye.')).toEqual([true, false]);
  });

  it('counts characters as code points', () => {
    expect(verdict('characterCount', { maxCharacters: 3 }, 'a😀b').data).toMatchObject({ characterCount: 3, verdict: true });
    expect(both('characterCount', { minCharacters: 5 }, 'abcd')).toEqual([false, true]);
  });
});

describe('endsWith', () => {
  it('passes when the text ends with the suffix or the suffix and a full stop', () => {
    expect(both('endsWith', { suffix: 'Thanks' }, 'Hello. Thanks')).toEqual([true, false]);
    expect(verdict('endsWith', { suffix: 'Thanks' }, 'Hello. Thanks.').verdict).toBe(true);
    expect(both('endsWith', { suffix: 'Thanks' }, 'Thanks, bye')).toEqual([false, true]);
  });
});

describe('alluppercase and alllowercase', () => {
  it('look only at letters, in any script', () => {
    expect(both('alluppercase', {}, 'HELLO, WORLD 42!')).toEqual([true, false]);
    expect(both('alluppercase', {}, 'HELLO, World')).toEqual([false, true]);
    expect(both('alllowercase', {}, 'grüße 42')).toEqual([true, false]);
    expect(both('alllowercase', {}, 'Grüße')).toEqual([false, true]);
  });
});

describe('notNull', () => {
  it('passes when there is text besides whitespace', () => {
    expect(both('notNull', {}, 'x')).toEqual([true, false]);
    expect(both('notNull', {}, ' \n')).toEqual([false, true]);
  });
});

describe('modelWhitelist', () => {
  it('passes when the model is on the list, compared exactly', () => {
    expect(both('modelWhitelist', { models: ['gpt-4o-mini', 'claude-3-haiku'] }, '', 'gpt-4o-mini')).toEqual([true, false]);
    expect(both('modelWhitelist', { models: ['gpt-4o-mini'] }, '', 'gpt-4o')).toEqual([false, true]);
  });

  it('treats a request without a model as not on the list', () => {
    expect(verdict('modelWhitelist', { models: ['gpt-4o'] }, 'text')).toMatchObject({ verdict: false, data: { requestedModel: null } });
  });
});

describe('containsCode', () => {
  const answer = 'Here:\n```py\nprint(1)\n```\nand\n```TypeScript\nconst a = 1;\n```';
  it('finds fenced blocks by their language label, short or long', () => {
    expect(both('containsCode', { format: 'Python' }, answer)).toEqual([true, false]);
    expect(verdict('containsCode', { format: 'TypeScript' }, answer).verdict).toBe(true);
    expect(both('containsCode', { format: 'SQL' }, answer)).toEqual([false, true]);
    expect(verdict('containsCode', { format: 'SQL' }, answer).data).toMatchObject({ foundFormats: ['Python', 'TypeScript'] });
  });

  it('does not count unfenced code', () => {
    expect(verdict('containsCode', { format: 'SQL' }, 'SELECT * FROM users;').verdict).toBe(false);
  });
});

describe('validUrls', () => {
  it('passes when every URL is well formed, ignoring the punctuation after it', () => {
    expect(both('validUrls', {}, 'See https://example.com/a?b=1 and (http://docs.example.org/x).')).toEqual([true, false]);
  });

  it('fails on a malformed URL', () => {
    const result = verdict('validUrls', {}, 'Go to https://exa mple.com or https://localhost/ or http://-bad-.com');
    expect(result.verdict).toBe(false);
    expect(result.data.invalidUrls).toEqual(['https://exa', 'https://localhost/', 'http://-bad-.com']);
    expect(verdict('validUrls', { not: true }, 'https://no_tld').verdict).toBe(true);
  });

  it('fails text without URLs whatever `not` says, as Portkey does', () => {
    expect(both('validUrls', {}, 'no links here')).toEqual([false, false]);
  });

  it('accepts IP literals and onlyDNS without looking anything up', () => {
    expect(verdict('validUrls', { onlyDNS: true }, 'http://192.0.2.10/x and http://[2001:db8::1]/').verdict).toBe(true);
  });
});

describe('jsonSchema', () => {
  const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } }, required: ['name'] };

  it('passes when JSON in a fenced block matches, and `not` inverts it', () => {
    expect(both('jsonSchema', { schema }, 'Result:\n```json\n{"name": "Ada", "age": 36}\n```')).toEqual([true, false]);
  });

  it('reads a whole-text answer and objects inside prose', () => {
    expect(verdict('jsonSchema', { schema }, '{"name": "Ada"}').verdict).toBe(true);
    expect(verdict('jsonSchema', { schema }, 'Sure! {"name": "Ada", "tags": {"a": 1}} is it.').verdict).toBe(true);
  });

  it('reports the violations of the first JSON when none matches', () => {
    const result = verdict('jsonSchema', { schema }, '{"age": -1}');
    expect(result.verdict).toBe(false);
    expect(result.data.validationErrors).toEqual([
      { path: '/', message: 'must have property "name"' },
      { path: '/age', message: 'must be >= 0' },
    ]);
  });

  it('fails text without JSON whatever `not` says', () => {
    expect(both('jsonSchema', { schema }, 'no json here')).toEqual([false, false]);
  });
});

describe('jsonKeys', () => {
  const text = 'Answer: {"summary": "x", "score": 3}';
  it.each([
    ['any', ['score', 'missing'], true],
    ['all', ['summary', 'score'], true],
    ['all', ['summary', 'missing'], false],
    ['none', ['missing'], true],
    ['none', ['score'], false],
  ] as const)('operator %s with %j gives %s', (operator, keys, expected) => {
    expect(both('jsonKeys', { operator, keys: [...keys] }, text)).toEqual([expected, !expected]);
  });

  it('says which keys are missing', () => {
    expect(verdict('jsonKeys', { operator: 'all', keys: ['summary', 'missing'] }, text).data).toMatchObject({ presentKeys: ['summary'], missingKeys: ['missing'] });
  });
});
