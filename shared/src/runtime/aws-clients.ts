import { createDynamoDbClient } from '../adapters/aws/dynamodb-client.ts';
import { createDynamoDbStores } from '../adapters/aws/dynamodb-stores.ts';
import { createSecretsManagerClient } from '../adapters/aws/secrets-manager-client.ts';
import { createSecretsManagerKeyVault } from '../adapters/aws/secrets-manager-key-vault.ts';
import type { TurnpikeTableNames } from '../adapters/aws/turnpike-tables.ts';
import type { GatewayStores } from '../engine/gateway-runtime.ts';
import type { Clock } from '../ports/clock.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { Environment } from './read-runtime-options.ts';

function required(env: Environment, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new Error(`${name} is not set: on AWS the gateway runs with the tables and secrets of the Turnpike stack (docs/INFRA-CONTRACT.md).`);
  }
  return value;
}

/** The table names the stack passes in the environment. */
export function readTableNames(env: Environment): TurnpikeTableNames {
  return {
    control: required(env, 'TURNPIKE_CONTROL_TABLE'),
    counters: required(env, 'TURNPIKE_COUNTERS_TABLE'),
    cache: required(env, 'TURNPIKE_CACHE_TABLE'),
    logs: required(env, 'TURNPIKE_LOGS_TABLE'),
  };
}

export interface AwsClients {
  stores: GatewayStores;
  keyVault: KeyVault;
  close(): void;
}

/**
 * The DynamoDB stores and the Secrets Manager vault of a Lambda container. The SDK takes
 * region and credentials from the Lambda environment (and endpoints from
 * `AWS_ENDPOINT_URL_DYNAMODB` / `AWS_ENDPOINT_URL_SECRETS_MANAGER` when set).
 */
export function createAwsClients(env: Environment, clock: Pick<Clock, 'now'>): AwsClients {
  const tables = readTableNames(env);
  const prefix = required(env, 'TURNPIKE_SECRET_PREFIX');
  const dynamo = createDynamoDbClient();
  const secrets = createSecretsManagerClient();
  const kmsKeyId = env.TURNPIKE_SECRETS_KMS_KEY_ARN;
  return {
    stores: createDynamoDbStores(dynamo, tables, clock),
    keyVault: createSecretsManagerKeyVault({ client: secrets, prefix, clock, ...(kmsKeyId === undefined || kmsKeyId === '' ? {} : { kmsKeyId }) }),
    close() {
      dynamo.destroy();
      secrets.destroy();
    },
  };
}
