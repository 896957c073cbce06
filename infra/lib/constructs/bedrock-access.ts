import { Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * Let a gateway role call Bedrock with its own credentials, which is how the `bedrock`
 * provider authenticates by default and how the semantic cache embeds prompts (Titan Text
 * Embeddings v2). Converse and ConverseStream are authorised as InvokeModel and
 * InvokeModelWithResponseStream.
 *
 * Foundation models are named in every region because cross-region inference profiles
 * (`us.anthropic…`, `eu.…`) route a call to whichever region of the profile has capacity;
 * profiles themselves are limited to this account.
 */
export function grantBedrockInvoke(grantee: IGrantable, policyScope: Construct): void {
  const stack = Stack.of(policyScope);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      resources: [
        `arn:${stack.partition}:bedrock:*::foundation-model/*`,
        `arn:${stack.partition}:bedrock:*:${stack.account}:inference-profile/*`,
        `arn:${stack.partition}:bedrock:*:${stack.account}:application-inference-profile/*`,
      ],
    }),
  );
  const because =
    'Callers choose the model per request (any foundation model or inference profile the account has enabled); ' +
    'cross-region profiles route to any of their regions, so neither the model nor the region can be named in advance. ' +
    'Access to each model is still governed by Bedrock model access settings and by Turnpike key scopes.';
  for (const resource of [
    'Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/*',
    'Resource::arn:<AWS::Partition>:bedrock:*:<AWS::AccountId>:inference-profile/*',
    'Resource::arn:<AWS::Partition>:bedrock:*:<AWS::AccountId>:application-inference-profile/*',
  ]) {
    Validations.of(policyScope).acknowledge({ id: `AwsSolutions-IAM5[${resource}]`, reason: because });
  }
}
