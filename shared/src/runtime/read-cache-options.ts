import { DEFAULT_RESPONSE_CACHE_SETTINGS, type ResponseCacheSettings } from '../cache/response-cache-settings.ts';
import type { Environment } from './read-runtime-options.ts';

/** Which embedder the semantic cache uses (`TURNPIKE_EMBEDDER`). */
export type EmbedderChoice =
  /** Amazon Titan Text Embeddings v2 on Bedrock: the AWS default. */
  | { kind: 'titan' }
  /** Hashed character n-grams, in process: the local default (lexical, not semantic). */
  | { kind: 'ngram' }
  /** Any embeddings model reachable through the gateway's providers. */
  | { kind: 'provider'; provider: string; model: string };

export interface CacheOptions {
  settings: ResponseCacheSettings;
  embedder: EmbedderChoice;
}

function readThreshold(env: Environment): number {
  const raw = env.TURNPIKE_SEMANTIC_THRESHOLD;
  if (raw === undefined || raw === '') return DEFAULT_RESPONSE_CACHE_SETTINGS.semanticThreshold;
  const value = Number(raw);
  if (!(value > 0 && value <= 1)) throw new Error(`TURNPIKE_SEMANTIC_THRESHOLD must be a number above 0 and at most 1, got "${raw}".`);
  return value;
}

function readMaxMessages(env: Environment): number {
  const raw = env.TURNPIKE_SEMANTIC_MAX_MESSAGES;
  if (raw === undefined || raw === '') return DEFAULT_RESPONSE_CACHE_SETTINGS.semanticMaxMessages;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`TURNPIKE_SEMANTIC_MAX_MESSAGES must be a whole number of at least 1, got "${raw}".`);
  return value;
}

function readNonNegative(env: Environment, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of at least 0, got "${raw}".`);
  return value;
}

function readEmbedder(env: Environment, mode: 'local' | 'aws'): EmbedderChoice {
  const raw = env.TURNPIKE_EMBEDDER?.trim();
  if (raw === undefined || raw === '') return { kind: mode === 'aws' ? 'titan' : 'ngram' };
  if (raw === 'titan' || raw === 'ngram') return { kind: raw };
  // Model ids may contain colons themselves (amazon.titan-embed-text-v2:0): split at the first.
  const separator = raw.indexOf(':');
  if (separator > 0 && separator < raw.length - 1) return { kind: 'provider', provider: raw.slice(0, separator), model: raw.slice(separator + 1) };
  throw new Error(`TURNPIKE_EMBEDDER must be titan, ngram or <provider>:<model>, got "${raw}".`);
}

/**
 * The response cache's operator settings: `TURNPIKE_SEMANTIC_THRESHOLD` (default 0.95),
 * `TURNPIKE_SEMANTIC_MAX_MESSAGES` (default 4), `TURNPIKE_EMBEDDER` (default titan on
 * AWS, ngram locally), and the in-memory layer in front of the Cache table:
 * `TURNPIKE_CACHE_MEMORY_BYTES` (default 16 MiB, 0 = off) and
 * `TURNPIKE_CACHE_MEMORY_MAX_AGE_MS` (default 10000).
 */
export function readCacheOptions(env: Environment, mode: 'local' | 'aws'): CacheOptions {
  return {
    settings: {
      semanticThreshold: readThreshold(env),
      semanticMaxMessages: readMaxMessages(env),
      memoryBytes: readNonNegative(env, 'TURNPIKE_CACHE_MEMORY_BYTES', DEFAULT_RESPONSE_CACHE_SETTINGS.memoryBytes ?? 0),
      memoryMaxAgeMs: readNonNegative(env, 'TURNPIKE_CACHE_MEMORY_MAX_AGE_MS', DEFAULT_RESPONSE_CACHE_SETTINGS.memoryMaxAgeMs ?? 0),
    },
    embedder: readEmbedder(env, mode),
  };
}
