import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { JsonValue } from '../core/json.ts';
import type { GatewaySettings } from '../engine/gateway-runtime.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

/** The optional local config file (`turnpike.config.json`), validated so typos are reported. */
const configFileSchema = z.strictObject({
  defaultProvider: z.string().min(1).optional(),
  maxBodyBytes: z.number().int().positive().optional(),
  allowBringYourOwnKey: z.boolean().optional(),
  allowedHosts: z.array(z.string().min(1)).optional(),
  logRequests: z.boolean().optional(),
  savedConfigs: z.record(z.string().min(1), z.json()).optional(),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

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

function list(env: Environment, name: string): string[] | undefined {
  const raw = env[name];
  return raw === undefined ? undefined : raw.split(',').map((item) => item.trim()).filter(Boolean);
}

/** Read and validate a config file; a missing default file is fine, a named missing one is not. */
export function readConfigFile(path: string, required: boolean): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid config file ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
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
    },
    allowedHosts: list(env, 'TURNPIKE_ALLOWED_HOSTS') ?? file.allowedHosts ?? (local ? LOOPBACK_HOSTS : []),
    logRequests: flag(env, 'TURNPIKE_LOG_REQUESTS', file.logRequests ?? true),
    savedConfigs: (file.savedConfigs ?? {}) as Record<string, JsonValue>,
  };
}
