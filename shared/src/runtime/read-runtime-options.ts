import type { JsonValue } from '../core/json.ts';
import type { GatewaySettings } from '../engine/gateway-runtime.ts';
import type { ConfigFile } from './read-config-file.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export type { ConfigFile } from './read-config-file.ts';

/** Everything a composition root reads from its environment before picking adapters. */
export interface RuntimeOptions {
  settings: GatewaySettings;
  allowedHosts: string[];
  logRequests: boolean;
  savedConfigs: Record<string, JsonValue>;
}

const LOOPBACK_HOSTS = ['127.0.0.0/8', '::1/128', 'localhost'];
const LAMBDA_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

function integer(env: Environment, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number, got "${raw}".`);
  return value;
}

function flag(env: Environment, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new Error(`${name} must be true or false, got "${raw}".`);
}

function functionUrlAuth(env: Environment): 'NONE' | 'AWS_IAM' {
  const raw = env.TURNPIKE_FUNCTION_URL_AUTH;
  if (raw === undefined || raw === '' || raw === 'NONE') return 'NONE';
  if (raw === 'AWS_IAM') return 'AWS_IAM';
  throw new Error(`TURNPIKE_FUNCTION_URL_AUTH must be NONE or AWS_IAM, got "${raw}".`);
}

/** Revocations must reach warm containers within seconds, so the cache may not keep answers longer than 10 s. */
function authCacheTtlMs(env: Environment): number {
  const value = integer(env, 'TURNPIKE_AUTH_CACHE_TTL_MS', 5_000);
  if (value > 10_000) throw new Error(`TURNPIKE_AUTH_CACHE_TTL_MS must be at most 10000 (10 s), got "${value}".`);
  return value;
}

function list(env: Environment, name: string): string[] | undefined {
  const raw = env[name];
  return raw === undefined ? undefined : raw.split(',').map((item) => item.trim()).filter(Boolean);
}

/**
 * Settings from environment variables (which win) and the config file. Local mode defaults to
 * the mock provider and allows loopback custom hosts, so `npm start` works with nothing set.
 */
export function readRuntimeOptions(env: Environment, mode: 'local' | 'aws', file: ConfigFile, version: string): RuntimeOptions {
  const local = mode === 'local';
  return {
    settings: {
      mode,
      maxBodyBytes: integer(env, 'TURNPIKE_MAX_BODY_BYTES', file.maxBodyBytes ?? LAMBDA_PAYLOAD_LIMIT_BYTES),
      defaultProvider: env.TURNPIKE_DEFAULT_PROVIDER || file.defaultProvider || (local ? 'mock' : undefined),
      allowBringYourOwnKey: flag(env, 'TURNPIKE_ALLOW_BYOK', file.allowBringYourOwnKey ?? true),
      retry: {
        baseDelayMs: integer(env, 'TURNPIKE_RETRY_BASE_DELAY_MS', 200),
        maxDelayMs: integer(env, 'TURNPIKE_RETRY_MAX_DELAY_MS', 5_000),
        maxRetryAfterMs: integer(env, 'TURNPIKE_MAX_RETRY_AFTER_MS', 30_000),
      },
      version,
      requireGatewayKey: flag(env, 'TURNPIKE_REQUIRE_GATEWAY_KEY', !local),
      functionUrlAuth: functionUrlAuth(env),
      authCacheTtlMs: authCacheTtlMs(env),
    },
    allowedHosts: list(env, 'TURNPIKE_ALLOWED_HOSTS') ?? file.allowedHosts ?? (local ? LOOPBACK_HOSTS : []),
    logRequests: flag(env, 'TURNPIKE_LOG_REQUESTS', file.logRequests ?? true),
    savedConfigs: (file.savedConfigs ?? {}) as Record<string, JsonValue>,
  };
}
