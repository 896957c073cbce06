import { describe, expect, it } from 'vitest';
import { evaluateGuardrail } from '../../../shared/src/guardrails/evaluate-guardrail.ts';
import type { GuardrailCheckSpec } from '../../../shared/src/protocol/guardrail-check-parameters.ts';
import type { GuardrailDefinition } from '../../../shared/src/protocol/guardrail-config.ts';

const clock = () => {
  let now = Date.UTC(2026, 0, 2, 3, 4, 5);
  return () => now++;
};

const check = (spec: Omit<GuardrailCheckSpec, 'enabled'> & { enabled?: boolean }): GuardrailCheckSpec => ({ enabled: true, ...spec }) as GuardrailCheckSpec;
const words = check({ id: 'default.wordCount', name: 'wordCount', parameters: { minWords: 3 } });
const noSecret = check({ id: 'default.regexMatch', name: 'regexMatch', parameters: { rule: 'secret', not: true } });
const endsWithBye = check({ id: 'default.endsWith', name: 'endsWith', parameters: { suffix: 'bye' } });

function guardrail(checks: GuardrailCheckSpec[], extra: Partial<GuardrailDefinition> = {}): GuardrailDefinition {
  return { id: 'g1', checks, deny: false, async: false, onFail: undefined, onSuccess: undefined, ...extra };
}

describe('evaluateGuardrail', () => {
  it('passes when every check passes, in the shape of Portkey hook_results', () => {
    const result = evaluateGuardrail(guardrail([words, noSecret]), { text: 'one two three', model: undefined }, clock());
    expect(result).toEqual({
      verdict: true,
      id: 'g1',
      transformed: false,
      checks: [
        expect.objectContaining({ id: 'default.wordCount', verdict: true, error: null, transformed: false, log: null, created_at: '2026-01-02T03:04:05.001Z', execution_time: 1 }),
        expect.objectContaining({ id: 'default.regexMatch', verdict: true, error: null }),
      ],
      feedback: null,
      execution_time: 5,
      async: false,
      type: 'guardrail',
      created_at: '2026-01-02T03:04:05.000Z',
      deny: false,
    });
  });

  it('fails when one check fails, and says it denies only when deny is set', () => {
    const text = { text: 'the secret word is here', model: undefined };
    expect(evaluateGuardrail(guardrail([words, noSecret]), text, clock())).toMatchObject({ verdict: false, deny: false });
    expect(evaluateGuardrail(guardrail([words, noSecret], { deny: true }), text, clock())).toMatchObject({ verdict: false, deny: true });
    expect(evaluateGuardrail(guardrail([words], { deny: true }), text, clock())).toMatchObject({ verdict: true, deny: false });
  });

  it('does not fail on a check that could not run, as Portkey does', () => {
    const result = evaluateGuardrail(guardrail([endsWithBye], { deny: true }), { text: '', model: undefined }, clock());
    expect(result).toMatchObject({ verdict: true, deny: false, checks: [{ verdict: false, error: { name: 'Check error', message: 'There is no text to check.' } }] });
  });

  it('skips disabled checks', () => {
    const result = evaluateGuardrail(guardrail([{ ...noSecret, enabled: false }, words]), { text: 'secret one two', model: undefined }, clock());
    expect(result.checks.map((checkResult) => checkResult.id)).toEqual(['default.wordCount']);
    expect(result.verdict).toBe(true);
  });

  it('attaches on_fail or on_success feedback with the check ids that passed, failed and errored', () => {
    const definition = guardrail([words, noSecret, endsWithBye], {
      onFail: { value: -5, weight: 0.5, metadata: { team: 'safety' } },
      onSuccess: { value: 5, weight: 1, metadata: {} },
    });
    expect(evaluateGuardrail(definition, { text: 'a secret', model: undefined }, clock()).feedback).toEqual({
      value: -5,
      weight: 0.5,
      metadata: { team: 'safety', successfulChecks: '', failedChecks: 'default.wordCount, default.regexMatch, default.endsWith', erroredChecks: '' },
    });
    expect(evaluateGuardrail(definition, { text: 'one two bye', model: undefined }, clock()).feedback).toMatchObject({
      value: 5,
      metadata: { successfulChecks: 'default.wordCount, default.regexMatch, default.endsWith', failedChecks: '', erroredChecks: '' },
    });
  });

  it('reports async guardrails as such', () => {
    expect(evaluateGuardrail(guardrail([words], { async: true }), { text: 'x', model: undefined }, clock()).async).toBe(true);
  });
});
