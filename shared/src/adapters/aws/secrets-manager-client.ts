import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The Secrets Manager client of a Lambda container; region, credentials and endpoint come from its environment. */
export function createSecretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({});
}
