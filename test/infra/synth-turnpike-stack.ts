import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readStageSettings } from '../../infra/lib/constructs/stage-settings.ts';
import { TurnpikeStack } from '../../infra/lib/turnpike-stack.ts';

// The context `npx cdk synth` runs with (stage defaults and feature flags), so the template
// under test is the template that deploys.
const CDK_JSON_CONTEXT = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> }).context;

export interface SynthesizedStack {
  app: App;
  stack: TurnpikeStack;
  template: Template;
}

/**
 * Build the stack the way infra/bin/turnpike.ts does, with cdk.json's context plus `context`. No bundling (the
 * `aws:cdk:bundling-stacks` context) and no built-in CloudFormation schema validation (about
 * ten seconds per app under vitest; `npm run test:synth` still runs it) keep a template test
 * under a second.
 */
export function synthTurnpikeStack(context: Record<string, unknown> = {}): SynthesizedStack {
  const app = new App({ builtinCloudFormationValidation: false, context: { ...CDK_JSON_CONTEXT, 'aws:cdk:bundling-stacks': [], ...context } });
  const settings = readStageSettings((key) => app.node.tryGetContext(key));
  const stack = new TurnpikeStack(app, 'Turnpike', { stackName: settings.stackName, settings });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id of the one resource of `type` whose logical id starts with `prefix`. */
export function logicalIdOf(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}
