import { describe, expect, it } from 'vitest';
import { validateGatewayConfig } from '../../../shared/src/protocol/validate-gateway-config.ts';
import { buildTargetTree, treeHasGuardrails } from '../../../shared/src/routing/build-target-tree.ts';
import type { TargetSettings } from '../../../shared/src/routing/target-node.ts';

const defaults: TargetSettings = {
  provider: undefined,
  apiKey: undefined,
  virtualKey: undefined,
  overrideParams: undefined,
  retry: undefined,
  requestTimeoutMs: undefined,
  cache: undefined,
  customHost: undefined,
  forwardHeaders: [],
  options: {},
};

describe('buildTargetTree: guardrails', () => {
  it("adds a target's guardrails to its ancestors' instead of replacing them", () => {
    const tree = buildTargetTree(
      validateGatewayConfig({
        input_guardrails: ['root-in'],
        strategy: { mode: 'fallback' },
        targets: [{ provider: 'openai', output_guardrails: ['child-out'], input_guardrails: ['child-in'] }, { provider: 'anthropic' }],
      }),
      defaults,
    );
    const ids = (node: (typeof tree.children)[number]) => ({
      input: node.settings.guardrails?.input.map((spec) => (spec.kind === 'saved' ? spec.id : spec.path)),
      output: node.settings.guardrails?.output.map((spec) => (spec.kind === 'saved' ? spec.id : spec.path)),
    });
    expect(ids(tree.children[0] as never)).toEqual({ input: ['root-in', 'child-in'], output: ['child-out'] });
    expect(ids(tree.children[1] as never)).toEqual({ input: ['root-in'], output: [] });
    expect(tree.children[1]?.settings.guardrails).toBe(tree.settings.guardrails);
    expect(treeHasGuardrails(tree)).toBe(true);
  });

  it('leaves settings without guardrails when the Config has none, and says so', () => {
    const tree = buildTargetTree(validateGatewayConfig({ strategy: { mode: 'fallback' }, targets: [{ provider: 'openai' }, { provider: 'anthropic' }] }), defaults);
    expect(tree.children.map((child) => child.settings.guardrails)).toEqual([undefined, undefined]);
    expect(treeHasGuardrails(tree)).toBe(false);
  });

  it('finds guardrails that only a nested target has', () => {
    const tree = buildTargetTree(validateGatewayConfig({ targets: [{ targets: [{ provider: 'openai', input_guardrails: ['deep'] }] }] }), defaults);
    expect(treeHasGuardrails(tree)).toBe(true);
  });
});
