import { randomUUID } from 'node:crypto';
import { createMemoryFrontedCacheStore } from '../cache/memory-fronted-cache-store.ts';
import { DEFAULT_RESPONSE_CACHE_SETTINGS } from '../cache/response-cache-settings.ts';
import type { UsageLimitSettings } from '../engine/usage-limits-step.ts';
import { createUsageSettlements } from '../engine/usage-settlements.ts';
import { createAccessReads } from '../keys/access-reads.ts';
import type { Clock } from '../ports/clock.ts';
import type { HostResolver } from '../ports/host-resolver.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { LogWriteFailure, RequestLogSink } from '../ports/request-log-sink.ts';
import { composeRequestLogSinks } from '../logging/compose-request-log-sinks.ts';
import { createFeedbackRecorder } from '../logging/record-feedback.ts';
import { type RequestLogStorageSettings, createStoredRequestLogSink } from '../logging/stored-request-log-sink.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
import { createLazyProvider } from '../providers/lazy-provider.ts';
import { createOpenAICompatibleProviders } from '../providers/openai-compatible/openai-compatible-providers.ts';
import type { FetchFunction, ProviderModel } from '../providers/provider-model.ts';
import { createHostGuard } from '../security/host-guard.ts';
import { type EmbedderSource, embedderLoader } from './create-embedder.ts';
import type { GatewayRuntime, GatewaySettings, GatewayStores } from '../engine/gateway-runtime.ts';

/** How the composition root keeps request logs in the Logs table. */
export interface RequestLogStorageParts extends RequestLogStorageSettings {
  /** False writes no request logs (feedback is still stored, with this retention). */
  enabled: boolean;
  /** Reports a write that failed every attempt (a metric on AWS, a warning line locally). */
  onWriteFailure?: (failure: LogWriteFailure) => void;
  /** Write several records in one call (see createStoredRequestLogSink). @default true */
  batchWrites?: boolean;
}

/** The adapters a composition root picked, and test seams for the rest. */
export interface RuntimeParts {
  settings: GatewaySettings;
  allowedHosts: readonly string[];
  fetch: FetchFunction;
  clock: Clock;
  random: () => number;
  hostResolver: HostResolver;
  savedConfigs: SavedConfigStore;
  /** Telemetry for each request (log line, metrics); the stored log is added beside it. */
  requestLog: RequestLogSink;
  /** Request logs in `stores.logs`. @default none stored */
  requestLogStorage?: RequestLogStorageParts | undefined;
  stores: GatewayStores;
  keyVault: KeyVault;
  /** Releases what the composition root opened. @default nothing to release */
  close?: () => Promise<void>;
  newTraceId?: () => string;
  /** The semantic cache's embedder, or how to make it from the providers. @default none: semantic works as simple */
  embedder?: EmbedderSource;
  /** Prices, output reservation, budget alerts and settlement coalescing. @default shipped prices, log-line alerts, no coalescing */
  usageLimits?: UsageLimitSettings | undefined;
}

/**
 * Every provider the gateway knows. The OpenAI-compatible family is one small table that most
 * requests use; the native providers and the mock are loaded by dynamic import on the first
 * request that names them, so the Lambda bundle keeps them in chunks of their own and a cold
 * start neither loads nor evaluates code it may never run.
 */
function createProviders(parts: RuntimeParts): ProviderModel[] {
  const { fetch, clock } = parts;
  return [
    ...createOpenAICompatibleProviders({ fetch }),
    createLazyProvider('mock', false, async () => (await import('../providers/mock/mock-provider.ts')).createMockProvider({ clock })),
    createLazyProvider('google', true, async () => (await import('../providers/google/google-provider.ts')).createGoogleProvider({ fetch, clock })),
    createLazyProvider('bedrock', false, async () =>
      (await import('../providers/bedrock/bedrock-provider.ts')).createBedrockProvider({ clock, defaultRegion: process.env.AWS_REGION }),
    ),
    createLazyProvider('cohere', true, async () => (await import('../providers/cohere/cohere-provider.ts')).createCohereProvider({ fetch, clock })),
    createLazyProvider('anthropic', true, async () =>
      (await import('../providers/anthropic/anthropic-provider.ts')).createAnthropicProvider({ fetch, clock }),
    ),
  ];
}

/** The runtime's request log: the stored log first (when on), then the telemetry sink. */
function requestLogOf(parts: RuntimeParts): RequestLogSink {
  const storage = parts.requestLogStorage;
  if (storage === undefined || !storage.enabled) return parts.requestLog;
  const { bodies, retentionDays, onWriteFailure, batchWrites } = storage;
  const stored = createStoredRequestLogSink({
    bodies,
    retentionDays,
    store: parts.stores.logs,
    clock: parts.clock,
    ...(onWriteFailure === undefined ? {} : { onWriteFailure }),
    ...(batchWrites === undefined ? {} : { batchWrites }),
  });
  return composeRequestLogSinks([stored, parts.requestLog]);
}

/** The Cache table with the operator's in-memory layer in front (none when its size is 0). */
function storesOf(parts: RuntimeParts): GatewayStores {
  const settings = parts.settings.cache ?? DEFAULT_RESPONSE_CACHE_SETTINGS;
  const maxBytes = settings.memoryBytes ?? 0;
  const maxAgeMs = settings.memoryMaxAgeMs ?? 0;
  if (maxBytes === 0 || maxAgeMs === 0) return parts.stores;
  const clock = parts.clock;
  return { ...parts.stores, cache: createMemoryFrontedCacheStore(parts.stores.cache, { maxBytes, maxAgeMs, now: () => clock.now() }) };
}

/** Wire the engine's dependencies together; shared by the local and AWS composition roots. */
export function composeRuntime(parts: RuntimeParts): GatewayRuntime {
  const requestLog = requestLogOf(parts);
  const settlements = createUsageSettlements(parts.stores.counters, parts.clock, parts.usageLimits);
  const providers = new Map(createProviders(parts).map((provider) => [provider.id, provider]));
  return {
    settings: parts.settings,
    providers,
    clock: parts.clock,
    random: parts.random,
    newTraceId: parts.newTraceId ?? randomUUID,
    hostGuard: createHostGuard({ allow: parts.allowedHosts, resolver: parts.hostResolver }),
    savedConfigs: parts.savedConfigs,
    requestLog,
    feedback: createFeedbackRecorder({ logs: parts.stores.logs, clock: parts.clock, retentionDays: parts.requestLogStorage?.retentionDays }),
    stores: storesOf(parts),
    keyVault: parts.keyVault,
    access: createAccessReads(parts.stores.control, parts.keyVault, parts.clock, {
      counters: parts.stores.counters,
      cacheTtlMs: parts.settings.authCacheTtlMs,
    }),
    loadEmbedder: embedderLoader(parts.embedder, providers),
    usageLimits: parts.usageLimits,
    settlements,
    close: async () => {
      // Settlements and logs still waiting need the database the close releases.
      await settlements.flush();
      await requestLog.flush?.();
      await parts.close?.();
    },
  };
}
