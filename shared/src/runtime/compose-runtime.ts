import { randomUUID } from 'node:crypto';
import type { Clock } from '../ports/clock.ts';
import type { HostResolver } from '../ports/host-resolver.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { RequestLogSink } from '../ports/request-log-sink.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
import { createAnthropicProvider } from '../providers/anthropic/anthropic-provider.ts';
import { createCohereProvider } from '../providers/cohere/cohere-provider.ts';
import { createBedrockProvider } from '../providers/bedrock/bedrock-provider.ts';
import { createGoogleProvider } from '../providers/google/google-provider.ts';
import { createMockProvider } from '../providers/mock/mock-provider.ts';
import { createOpenAICompatibleProviders } from '../providers/openai-compatible/openai-compatible-providers.ts';
import type { FetchFunction, ProviderModel } from '../providers/provider-model.ts';
import { createHostGuard } from '../security/host-guard.ts';
import type { GatewayRuntime, GatewaySettings, GatewayStores } from '../engine/gateway-runtime.ts';

/** The adapters a composition root picked, and test seams for the rest. */
export interface RuntimeParts {
  settings: GatewaySettings;
  allowedHosts: readonly string[];
  fetch: FetchFunction;
  clock: Clock;
  random: () => number;
  hostResolver: HostResolver;
  savedConfigs: SavedConfigStore;
  requestLog: RequestLogSink;
  stores: GatewayStores;
  keyVault: KeyVault;
  /** Releases what the composition root opened. @default nothing to release */
  close?: () => Promise<void>;
  newTraceId?: () => string;
}

/** Wire the engine's dependencies together; shared by the local and AWS composition roots. */
export function composeRuntime(parts: RuntimeParts): GatewayRuntime {
  const providers: ProviderModel[] = [
    ...createOpenAICompatibleProviders({ fetch: parts.fetch }),
    createMockProvider({ clock: parts.clock }),
    createGoogleProvider({ fetch: parts.fetch, clock: parts.clock }),
    createBedrockProvider({ clock: parts.clock, defaultRegion: process.env.AWS_REGION }),
    createCohereProvider({ fetch: parts.fetch, clock: parts.clock }),
    createAnthropicProvider({ fetch: parts.fetch, clock: parts.clock }),
  ];
  return {
    settings: parts.settings,
    providers: new Map(providers.map((provider) => [provider.id, provider])),
    clock: parts.clock,
    random: parts.random,
    newTraceId: parts.newTraceId ?? randomUUID,
    hostGuard: createHostGuard({ allow: parts.allowedHosts, resolver: parts.hostResolver }),
    savedConfigs: parts.savedConfigs,
    requestLog: parts.requestLog,
    stores: parts.stores,
    keyVault: parts.keyVault,
    close: parts.close ?? (async () => undefined),
  };
}
