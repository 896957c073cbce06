import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { GatewayError } from '../../core/gateway-error.ts';
import type { Clock } from '../../ports/clock.ts';
import type { KeyVault } from '../../ports/key-vault.ts';

export interface SecretsManagerKeyVaultOptions {
  client: SecretsManagerClient;
  /** Prepended to every name (`TURNPIKE_SECRET_PREFIX`, e.g. `turnpike/dev/virtual-keys/`). */
  prefix: string;
  /** The KMS key new secrets are encrypted with (admin function only). */
  kmsKeyId?: string;
  /** How long a secret is reused before it is read again; at most 5 minutes. @default 300_000 */
  cacheTtlMs?: number;
  /** Most secrets kept in memory; the oldest is dropped first. @default 500 */
  maxCachedSecrets?: number;
  clock?: Pick<Clock, 'now'>;
}

const MAX_CACHE_TTL_MS = 5 * 60 * 1000;
// Secrets Manager's own character set for names.
const NAME_PATTERN = /^[A-Za-z0-9/_+=.@-]{1,256}$/;

interface CachedSecret {
  secret: string;
  expiresAt: number;
}

function checkName(name: string): void {
  if (!NAME_PATTERN.test(name)) throw new RangeError('A secret name has 1 to 256 letters, digits or /_+=.@- characters.');
}

function isNamed(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** Throttling (after the SDK's own retries), network or permission failures, without details. */
function vaultUnavailable(error: unknown): GatewayError {
  return new GatewayError('The key vault is unavailable; try again shortly.', {
    status: 503,
    type: 'api_error',
    code: 'key_vault_unavailable',
    retryable: true,
    cause: error,
  });
}

/**
 * A KeyVault on AWS Secrets Manager: one secret per name under a prefix. Reads are cached in
 * memory for at most 5 minutes (so a rotated key is picked up within that time) and
 * concurrent reads of one name share one call. A missing secret is `undefined` and is not
 * cached. Throttling is retried by the client's retry strategy (the SDK's standard mode:
 * 3 attempts with backoff); what still fails rejects with 503 `key_vault_unavailable`.
 */
export function createSecretsManagerKeyVault(options: SecretsManagerKeyVaultOptions): KeyVault {
  const { client, prefix } = options;
  const ttlMs = Math.min(options.cacheTtlMs ?? MAX_CACHE_TTL_MS, MAX_CACHE_TTL_MS);
  const maxCached = options.maxCachedSecrets ?? 500;
  const clock = options.clock ?? { now: () => Date.now() };
  const cache = new Map<string, CachedSecret>();
  const inFlight = new Map<string, Promise<string | undefined>>();
  // Bumped by every write, so a read that started before a write does not cache the old value.
  const generations = new Map<string, number>();

  function remember(name: string, secret: string): void {
    cache.delete(name);
    cache.set(name, { secret, expiresAt: clock.now() + ttlMs });
    // Map keeps insertion order, so the first key is the oldest entry.
    while (cache.size > maxCached) {
      const oldest = cache.keys().next();
      if (oldest.done === true) break;
      cache.delete(oldest.value);
    }
  }

  function forget(name: string): void {
    cache.delete(name);
    inFlight.delete(name);
    generations.set(name, (generations.get(name) ?? 0) + 1);
  }

  async function fetchSecret(name: string): Promise<string | undefined> {
    try {
      const result = await client.send(new GetSecretValueCommand({ SecretId: `${prefix}${name}` }));
      if (result.SecretString !== undefined) return result.SecretString;
      if (result.SecretBinary !== undefined) return Buffer.from(result.SecretBinary).toString('utf8');
      return undefined;
    } catch (error) {
      if (error instanceof ResourceNotFoundException || isNamed(error, 'ResourceNotFoundException')) return undefined;
      throw vaultUnavailable(error);
    }
  }

  async function putSecret(secretId: string, secret: string): Promise<void> {
    try {
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secret }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException || isNamed(error, 'ResourceNotFoundException'))) throw error;
    }
    try {
      await client.send(
        new CreateSecretCommand({
          Name: secretId,
          SecretString: secret,
          ...(options.kmsKeyId === undefined ? {} : { KmsKeyId: options.kmsKeyId }),
        }),
      );
    } catch (error) {
      // Created by someone else in between: it exists now, so set its value.
      if (!(error instanceof ResourceExistsException || isNamed(error, 'ResourceExistsException'))) throw error;
      await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: secret }));
    }
  }

  return {
    async get(name) {
      checkName(name);
      const cached = cache.get(name);
      if (cached !== undefined && cached.expiresAt > clock.now()) return cached.secret;
      cache.delete(name);
      const pending = inFlight.get(name);
      if (pending !== undefined) return pending;

      const generation = generations.get(name) ?? 0;
      const read = fetchSecret(name).then(
        (secret) => {
          if (inFlight.get(name) === read) inFlight.delete(name);
          if (secret !== undefined && (generations.get(name) ?? 0) === generation) remember(name, secret);
          return secret;
        },
        (error: unknown) => {
          if (inFlight.get(name) === read) inFlight.delete(name);
          throw error;
        },
      );
      inFlight.set(name, read);
      return read;
    },

    async put(name, secret) {
      checkName(name);
      forget(name);
      try {
        await putSecret(`${prefix}${name}`, secret);
      } catch (error) {
        throw vaultUnavailable(error);
      }
    },

    async delete(name) {
      checkName(name);
      forget(name);
      try {
        // Without recovery, so the virtual key's name can be used again at once.
        await client.send(new DeleteSecretCommand({ SecretId: `${prefix}${name}`, ForceDeleteWithoutRecovery: true }));
      } catch (error) {
        if (error instanceof ResourceNotFoundException || isNamed(error, 'ResourceNotFoundException')) return;
        throw vaultUnavailable(error);
      }
    },
  };
}
