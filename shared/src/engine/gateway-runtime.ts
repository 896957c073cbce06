import type { Clock } from '../ports/clock.ts';
import type { RequestLogSink } from '../ports/request-log-sink.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
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
}
