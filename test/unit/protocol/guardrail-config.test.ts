import { describe, expect, it } from 'vitest';
import { InvalidConfigError } from '../../../shared/src/core/gateway-error.ts';
import type { ConfigIssue } from '../../../shared/src/protocol/describe-config-issue.ts';
import { parseSavedGuardrail } from '../../../shared/src/protocol/guardrail-config.ts';
import { validateGatewayConfig } from '../../../shared/src/protocol/validate-gateway-config.ts';

function reported(input: unknown): { param: string | null; message: string } {
  try {
    validateGatewayConfig(input);
  } catch (error) {
    if (error instanceof InvalidConfigError) return { param: error.param, message: error.message };
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

const message = (input: unknown): string => reported(input).message;

describe('guardrails in a Config: accepted forms', () => {
  it('reads Portkey raw shorthand: check ids as keys, actions beside them', () => {
    const config = validateGatewayConfig({
      input_guardrails: [{ 'default.contains': { operator: 'none', words: ['apple'] }, wordCount: { minWords: 1, maxWords: 50 }, deny: true, id: 'my-guard' }],
    });
    expect(config.input_guardrails).toEqual([
      {
        kind: 'inline',
        path: 'input_guardrails[0]',
        definition: {
          id: 'my-guard',
          deny: true,
          async: false,
          onFail: undefined,
          onSuccess: undefined,
          checks: [
            { id: 'default.contains', name: 'contains', parameters: { operator: 'none', words: ['apple'] }, enabled: true },
            { id: 'default.wordCount', name: 'wordCount', parameters: { minWords: 1, maxWords: 50 }, enabled: true },
          ],
        },
      },
    ]);
  });

  it('reads the hook form, saved ids and {id} references, merging the old list names after the new ones', () => {
    const config = validateGatewayConfig({
      targets: [
        {
          output_guardrails: ['saved-a'],
          after_request_hooks: [
            { type: 'guardrail', name: 'json-out', checks: [{ id: 'default.jsonKeys', parameters: { keys: ['a'], operator: 'all' }, is_enabled: false }], async: true },
          ],
          afterRequestHooks: [{ id: 'saved-b' }],
          beforeRequestHooks: [{ type: 'guardrail', id: 'saved-c' }],
        },
      ],
    });
    const target = config.targets?.[0];
    expect(target?.output_guardrails).toEqual([
      { kind: 'saved', id: 'saved-a', path: 'targets[0].output_guardrails[0]' },
      {
        kind: 'inline',
        path: 'targets[0].after_request_hooks[0]',
        definition: expect.objectContaining({ id: 'json-out', async: true, checks: [expect.objectContaining({ name: 'jsonKeys', enabled: false })] }),
      },
      { kind: 'saved', id: 'saved-b', path: 'targets[0].afterRequestHooks[0]' },
    ]);
    expect(target?.input_guardrails).toEqual([{ kind: 'saved', id: 'saved-c', path: 'targets[0].beforeRequestHooks[0]' }]);
    expect(target).not.toHaveProperty('after_request_hooks');
  });

  it('takes on_fail and on_success feedback, and the isAllLowerCase alias', () => {
    const config = validateGatewayConfig({
      input_guardrails: [{ 'default.isAllLowerCase': {}, on_fail: { feedback: { value: -1, weight: 0.5 } }, on_success: { feedback: { value: 1, metadata: { a: 'b' } } } }],
    });
    expect(config.input_guardrails?.[0]).toMatchObject({
      definition: {
        id: 'config.input_guardrails[0]',
        checks: [{ id: 'default.isAllLowerCase', name: 'alllowercase' }],
        onFail: { value: -1, weight: 0.5, metadata: {} },
        onSuccess: { value: 1, weight: 1, metadata: { a: 'b' } },
      },
    });
  });

  it('returns a Config without guardrails as it was', () => {
    const input = { provider: 'openai', targets: [{ provider: 'anthropic' }] };
    expect(validateGatewayConfig(input)).toEqual(input);
  });
});

describe('guardrails in a Config: refused with the path of the problem', () => {
  it('refuses checks Turnpike cannot run and says which it can', () => {
    expect(reported({ input_guardrails: [{ 'pangea.textGuard': {}, deny: true }] })).toEqual({
      param: 'config.input_guardrails[0]["pangea.textGuard"]',
      message: expect.stringMatching(/^Invalid config: input_guardrails\[0\]\["pangea.textGuard"\]: unknown guardrail check "pangea.textGuard": partner and hosted checks .* cannot run in this gateway\. Turnpike runs Portkey's deterministic checks in-process: default.regexMatch, /),
    });
    expect(message({ output_guardrails: [{ checks: [{ id: 'default.webhook', parameters: {} }] }] })).toMatch(
      /^Invalid config: output_guardrails\[0\]\.checks\[0\]\.id: unknown guardrail check "default.webhook"\. Turnpike runs/,
    );
  });

  it('refuses misspelt and missing parameters', () => {
    expect(reported({ input_guardrails: [{ 'default.wordCount': { minWord: 3 } }] })).toEqual({
      param: 'config.input_guardrails[0]["default.wordCount"].minWord',
      message: 'Invalid config: input_guardrails[0]["default.wordCount"].minWord: unknown key',
    });
    expect(message({ input_guardrails: [{ regexMatch: {} }] })).toBe('Invalid config: input_guardrails[0].regexMatch.rule: required: expected string');
    expect(message({ input_guardrails: [{ contains: { words: ['a'], operator: 'some' } }] })).toBe(
      'Invalid config: input_guardrails[0].contains.operator: expected one of "any", "all", "none"',
    );
    expect(message({ input_guardrails: [{ wordCount: {} }] })).toBe('Invalid config: input_guardrails[0].wordCount: set minWords, maxWords or both');
    expect(message({ input_guardrails: [{ sentenceCount: { minSentences: 3, maxSentences: 2 } }] })).toBe(
      'Invalid config: input_guardrails[0].sentenceCount.minSentences: must be <= maxSentences (2)',
    );
  });

  it('refuses patterns that could backtrack catastrophically or are too long', () => {
    expect(message({ input_guardrails: [{ regexMatch: { rule: '(a+)+$' } }] })).toBe(
      'Invalid config: input_guardrails[0].regexMatch.rule: pattern repeats a group that itself repeats without bound (catastrophic backtracking)',
    );
    expect(message({ input_guardrails: [{ regexMatch: { rule: 'a'.repeat(501) } }] })).toBe(
      'Invalid config: input_guardrails[0].regexMatch.rule: pattern is longer than 500 characters',
    );
    expect(message({ input_guardrails: [{ regexMatch: { rule: '(' } }] })).toMatch(/^Invalid config: input_guardrails\[0\]\.regexMatch\.rule: Invalid regular expression/);
  });

  it('refuses JSON Schema keywords the validator would skip', () => {
    expect(message({ output_guardrails: [{ jsonSchema: { schema: { type: 'object', properties: { a: { $ref: '#/x' } } } } }] })).toMatch(
      /^Invalid config: output_guardrails\[0\]\.jsonSchema\.schema\.properties\.a\.\$ref: JSON Schema keyword "\$ref" is not supported by the jsonSchema check; supported: type, /,
    );
    expect(message({ output_guardrails: [{ jsonSchema: { schema: { type: 'date' } } }] })).toMatch(/schema\.type: expected one of "object", /);
    expect(message({ output_guardrails: [{ jsonSchema: { schema: { properties: { a: { pattern: '(\\w*)*' } } } } }] })).toMatch(/schema\.properties\.a\.pattern: pattern repeats/);
  });

  it('refuses entries that are neither an id nor a guardrail, guardrails without checks, and bad actions', () => {
    expect(message({ input_guardrails: [42] })).toBe('Invalid config: input_guardrails[0]: expected a saved guardrail id or a guardrail object, received number');
    expect(message({ input_guardrails: [''] })).toBe('Invalid config: input_guardrails[0]: a saved guardrail id has 1 to 200 characters');
    expect(message({ input_guardrails: [{ deny: true }] })).toBe(
      'Invalid config: input_guardrails[0]: a guardrail needs at least one check (such as "default.contains"); to use a saved guardrail give only its id',
    );
    expect(message({ input_guardrails: [{ notNull: {}, deny: 'yes' }] })).toBe('Invalid config: input_guardrails[0].deny: expected boolean, received string');
    expect(message({ input_guardrails: [{ notNull: {}, on_fail: { feedback: { value: 11 } } }] })).toBe('Invalid config: input_guardrails[0].on_fail.feedback.value: must be <= 10');
    expect(message({ output_guardrails: [{ checks: [] }] })).toBe('Invalid config: output_guardrails[0].checks: expected at least 1 item');
  });

  it('reports the first problem of a nested target and counts the rest', () => {
    expect(message({ targets: [{ provider: 'openai', input_guardrails: [{ regexMatch: { rule: 'x' }, contains: {} }, { foo: {} }] }] })).toMatch(
      /^Invalid config: targets\[0\]\.input_guardrails\[0\]\.contains\.words: required: expected array \(and 1 more issue\)$/,
    );
  });
});

describe('parseSavedGuardrail', () => {
  it('reads Portkey admin shape: checks and actions', () => {
    const issues: ConfigIssue[] = [];
    expect(parseSavedGuardrail('g', { checks: [{ id: 'default.notNull' }], actions: { deny: true, async: false } }, issues)).toEqual({
      id: 'g',
      deny: true,
      async: false,
      onFail: undefined,
      onSuccess: undefined,
      checks: [{ id: 'default.notNull', name: 'notNull', parameters: {}, enabled: true }],
    });
    expect(issues).toEqual([]);
  });

  it('reports problems below the path it is given', () => {
    const issues: ConfigIssue[] = [];
    expect(parseSavedGuardrail('g', { checks: [{ id: 'default.notNull', parameters: { x: 1 } }], actions: { block: true } }, issues)).toBeUndefined();
    expect(issues).toEqual([{ path: 'actions.block', message: 'unknown key' }]);
    const more: ConfigIssue[] = [];
    parseSavedGuardrail('g', { checks: [{ id: 'default.notNull', parameters: { x: 1 } }] }, more);
    expect(more).toEqual([{ path: 'checks[0].parameters.x', message: 'unknown key' }]);
  });
});
