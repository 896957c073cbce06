import type { CacheStore } from '../ports/cache-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { CounterStore } from '../ports/counter-store.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { LogStore } from '../ports/log-store.ts';
import type { RequestLogSink } from '../ports/request-log-sink.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
import type { SemanticCacheIndex } from '../ports/semantic-cache-index.ts';
import type { ProviderModel } from '../providers/provider-model.ts';
import type { HostGuard } from '../security/host-guard.ts';

/** Operator settings: what a deployment decides, as opposed to what a request asks for. */
export interface GatewaySettings {
  /** `local` for `npm start`, `aws` on Lambda. */
  mode: 'local' | 'aws';
  /** Largest accepted request body in bytes; larger bodies get 413. */
  maxBodyBytes: number;
  /** Provider used when a request names none (the mock provider locally). */
  defaultProvider: string | undefined;
  /** Whether a caller may send its own provider key as `Authorization: Bearer`. */
  allowBringYourOwnKey: boolean;
  /** Retry backoff: first delay, ceiling, and the longest Retry-After the gateway will wait. */
  retry: { baseDelayMs: number; maxDelayMs: number; maxRetryAfterMs: number };
  /** Version string reported by /health. */
  version: string;
}

/** The persistent stores: DynamoDB on AWS, the same code on dynalite locally. */
export interface GatewayStores {
  control: ControlStore;
  counters: CounterStore;
  cache: CacheStore;
  semanticIndex: SemanticCacheIndex;
  logs: LogStore;
}

/**
 * Everything the engine needs from the world, assembled once per process (per Lambda
 * container) by a composition root in runtime/.
 */
export interface GatewayRuntime {
  settings: GatewaySettings;
  providers: ReadonlyMap<string, ProviderModel>;
  clock: Clock;
  /** Uniform in [0, 1); injected so load balancing can be tested deterministically. */
  random: () => number;
  newTraceId: () => string;
  hostGuard: HostGuard;
  savedConfigs: SavedConfigStore;
  requestLog: RequestLogSink;
  stores: GatewayStores;
  /** Provider credentials of virtual keys. */
  keyVault: KeyVault;
  /** Release what the runtime holds (clients, the local database); the runtime is unusable after. */
  close(): Promise<void>;
}
