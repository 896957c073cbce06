import { App, Stack, Validations } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synthTurnpikeStack } from './synth-turnpike-stack.ts';

/** `rule at path` for every finding the AWS Solutions pack reports and nothing acknowledges. */
function unacknowledgedFindings(scope: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => `${violation.severity} ${violation.ruleName} at ${resource.constructPath ?? '?'}`),
  );
}

describe('cdk-nag AWS Solutions checks', () => {
  it('finds nothing unacknowledged in the stack, errors or warnings', () => {
    expect(unacknowledgedFindings(synthTurnpikeStack().stack)).toEqual([]);
  });

  it('finds nothing unacknowledged with every optional setting turned on', () => {
    const { stack } = synthTurnpikeStack({
      'turnpike:allowedOrigins': ['https://app.example.com'],
      'turnpike:alarmEmail': 'oncall@example.com',
      'turnpike:gatewayReservedConcurrency': 10,
      'turnpike:retainData': false,
    });
    expect(unacknowledgedFindings(stack)).toEqual([]);
  });

  it('gives a reason for every acknowledgement', () => {
    const { stack } = synthTurnpikeStack();
    const reasons = stack.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, unknown>));
    expect(reasons.length).toBeGreaterThan(0);
    for (const [rule, reason] of reasons) {
      const text = typeof reason === 'string' ? reason : JSON.stringify(reason);
      expect(text.length, rule).toBeGreaterThan(40);
    }
  });

  it('would catch a finding, warnings included (the check is not vacuous)', () => {
    const stack = new Stack(new App(), 'Careless');
    new Table(stack, 'NoRecovery', { partitionKey: { name: 'pk', type: AttributeType.STRING } });
    // DDB3 is a warning, which `cdk synth` prints without failing once the app acknowledges
    // anything; this test fails on it all the same.
    expect(unacknowledgedFindings(stack)).toContain('warning AwsSolutions-DDB3 at Careless/NoRecovery/Resource');
  });
});
