import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStageSettings } from '../lib/constructs/stage-settings.ts';
import { TurnpikeStack } from '../lib/turnpike-stack.ts';

// `npx cdk synth` / `deploy` run this file with tsx (cdk.json). Stage settings come from CDK
// context. The stack is environment-agnostic: it deploys to the account and region of the CLI's
// credentials, and synth needs neither (it works offline).
const app = new App();
const settings = readStageSettings((key) => app.node.tryGetContext(key));
new TurnpikeStack(app, 'Turnpike', {
  stackName: settings.stackName,
  description: `Turnpike AI gateway (${settings.stage})`,
  tags: { project: 'turnpike', stage: settings.stage },
  settings,
});
// cdk-nag 3 runs as a validation plugin: every synth checks the AWS Solutions rules, and an
// unacknowledged finding fails it.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
