import { ArnFormat, Aws, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface KeyVaultProps {
  /** Secrets Manager name prefix; every virtual key's secret is `<prefix><slug>`. Must end with `/`. */
  readonly secretPrefix: string;
  /** What happens to the KMS key when the stack is deleted. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The virtual-key vault: provider secrets in Secrets Manager under one name prefix, encrypted
 * with a customer-managed KMS key that rotates yearly. Secrets are created at run time by the
 * admin API, so the stack owns the prefix, the key and the IAM, not the secrets themselves.
 */
export class KeyVault extends Construct {
  readonly key: Key;
  readonly secretPrefix: string;
  /** `arn:<partition>:secretsmanager:<region>:<account>:secret:<prefix>*`: every secret of the vault, nothing else. */
  readonly secretArnPattern: string;

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    if (!props.secretPrefix.endsWith('/')) {
      // Without the slash, `<prefix>*` would also match `<prefix>-other/...` secrets.
      throw new Error(`KeyVault secretPrefix must end with "/", got "${props.secretPrefix}".`);
    }
    this.secretPrefix = props.secretPrefix;
    this.key = new Key(this, 'Key', {
      description: `Encrypts Turnpike virtual-key secrets under ${props.secretPrefix}`,
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.secretArnPattern = Stack.of(this).formatArn({
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${props.secretPrefix}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The gateway: read a secret's value, and decrypt it only through Secrets Manager. */
  grantRead(grantee: IGrantable): void {
    this.allowSecrets(grantee, ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret']);
    this.allowKey(grantee, ['kms:Decrypt']);
  }

  /** The admin API: create, update, rotate in a new value, tag and delete the vault's secrets. */
  grantManage(grantee: IGrantable): void {
    this.allowSecrets(grantee, [
      'secretsmanager:CreateSecret',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecret',
      'secretsmanager:DescribeSecret',
      'secretsmanager:DeleteSecret',
      'secretsmanager:RestoreSecret',
      'secretsmanager:TagResource',
      'secretsmanager:UntagResource',
    ]);
    // Secrets Manager asks KMS for a data key to encrypt a new value, and decrypts the previous
    // one when a value is updated.
    this.allowKey(grantee, ['kms:GenerateDataKey', 'kms:Decrypt']);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
    );
  }

  /**
   * Acknowledge the findings the prefix grants cause on `grantee`'s policy: the `<prefix>*`
   * resource is the narrowest IAM can express for secrets created at run time (their ARNs end
   * with a random suffix), and ListSecrets supports no resource at all.
   */
  acknowledgeGrantFindings(policyScope: Construct, options: { manage: boolean }): void {
    const arn = `Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:${this.secretPrefix}*`;
    Validations.of(policyScope).acknowledge({
      id: `AwsSolutions-IAM5[${arn}]`,
      reason: `Scoped to the vault's name prefix ${this.secretPrefix}: secrets are created per virtual key at run time and their ARNs end with a random suffix, so a prefix is the narrowest resource IAM can name.`,
    });
    if (options.manage) {
      Validations.of(policyScope).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'secretsmanager:ListSecrets supports no resource-level permissions; the admin API filters the listing by the vault prefix. It returns names and metadata, never values.',
      });
    }
  }

  private allowSecrets(grantee: IGrantable, actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions, resources: [this.secretArnPattern] }));
  }

  private allowKey(grantee: IGrantable, actions: string[]): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions,
        resources: [this.key.keyArn],
        // Only Secrets Manager may use the key on the function's behalf: the function itself
        // cannot call kms:Decrypt on arbitrary ciphertext.
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
      }),
    );
  }
}
