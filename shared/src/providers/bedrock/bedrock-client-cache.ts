import { createHash } from 'node:crypto';
import type { BedrockRuntimeClient, BedrockRuntimeClientConfig } from '@aws-sdk/client-bedrock-runtime';
import type { BedrockClientSettings } from './bedrock-client-settings.ts';
import { loadBedrockSdk, type BedrockSdk } from './bedrock-sdk.ts';

export type BedrockClientFactory = (config: BedrockRuntimeClientConfig) => BedrockRuntimeClient;

/** Distinct (region, credentials, endpoint) sets kept warm; a container rarely needs more. */
const DEFAULT_MAX_CLIENTS = 16;

/** The SDK client configuration for one set of settings. */
export function bedrockClientConfig(settings: BedrockClientSettings, sdk: Pick<BedrockSdk, 'NodeHttpHandler'>): BedrockRuntimeClientConfig {
  const config: BedrockRuntimeClientConfig = {
    region: settings.region,
    // The gateway owns retries (with the caller's retry config and fallbacks); an SDK retry
    // behind its back would double the wait and hide throttling from the fallback logic.
    maxAttempts: 1,
  };
  if (settings.endpoint !== undefined) {
    config.endpoint = settings.endpoint;
    // The client speaks HTTP/2 by default (NodeHttp2Handler), which a custom host such as a
    // proxy or a test server on plain http:// rarely does; Converse needs nothing HTTP/2-only.
    config.requestHandler = new sdk.NodeHttpHandler();
  }
  if (settings.credentials !== undefined) config.credentials = settings.credentials;
  if (settings.bearerToken !== undefined) {
    config.token = { token: settings.bearerToken };
    config.authSchemePreference = ['httpBearerAuth'];
  }
  return config;
}

function cacheKey(settings: BedrockClientSettings): string {
  // Secrets are hashed so the key that stays in memory does not hold them in the clear.
  const secret = createHash('sha256')
    .update(JSON.stringify([settings.credentials?.secretAccessKey, settings.credentials?.sessionToken, settings.bearerToken]))
    .digest('base64url');
  return JSON.stringify([settings.region, settings.endpoint ?? '', settings.credentials?.accessKeyId ?? '', secret]);
}

export interface BedrockClientCache {
  /** The client for these settings, created on first use and then reused. */
  get(settings: BedrockClientSettings): Promise<BedrockRuntimeClient>;
}

/**
 * One client per (region, credentials, endpoint), so a warm Lambda container reuses its
 * connections and credential cache across requests. Least recently used clients are dropped
 * past `maxClients`; they are not destroyed, because a stream may still be reading from one
 * (their idle keep-alive sockets close on their own).
 */
export function createBedrockClientCache(factory: BedrockClientFactory | undefined, maxClients = DEFAULT_MAX_CLIENTS): BedrockClientCache {
  const clients = new Map<string, BedrockRuntimeClient>();
  return {
    async get(settings) {
      const key = cacheKey(settings);
      const cached = clients.get(key);
      if (cached !== undefined) {
        // Re-insert so Map order stays least-recently-used first.
        clients.delete(key);
        clients.set(key, cached);
        return cached;
      }
      const sdk = await loadBedrockSdk();
      // Checked again: another call may have created the client while the SDK loaded.
      const raced = clients.get(key);
      if (raced !== undefined) return raced;
      const config = bedrockClientConfig(settings, sdk);
      const client = factory === undefined ? new sdk.BedrockRuntimeClient(config) : factory(config);
      clients.set(key, client);
      if (clients.size > maxClients) {
        const oldest = clients.keys().next();
        if (oldest.done !== true) clients.delete(oldest.value);
      }
      return client;
    },
  };
}
