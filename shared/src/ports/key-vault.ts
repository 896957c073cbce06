/**
 * Provider credentials, one secret per virtual key, named by the key's slug (letters,
 * digits and `/_+=.@-`). Secrets never appear in logs or errors. When the vault cannot
 * answer (throttled after retries, unreachable), methods reject with a GatewayError of status
 * 503 and code `key_vault_unavailable`.
 */
export interface KeyVault {
  /** The secret, or undefined when the vault holds none under that name. */
  get(name: string): Promise<string | undefined>;
  /** Store or replace the secret. */
  put(name: string, secret: string): Promise<void>;
  /** Remove the secret; nothing happens when it is absent. */
  delete(name: string): Promise<void>;
}
