import type { SettlementQueue } from '../budgets/settlement-queue.ts';
import type { ResponseCacheSettings } from '../cache/response-cache-settings.ts';
import type { CacheStore } from '../ports/cache-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { AccessReads } from '../keys/access-reads.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { CounterStore } from '../ports/counter-store.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import type { FeedbackRecorder } from '../logging/record-feedback.ts';
import type { LogStore } from '../ports/log-store.ts';
import type { RequestLogSink } from '../ports/request-log-sink.ts';
import type { RollupStore } from '../ports/rollup-store.ts';
import type { SavedConfigStore } from '../ports/saved-config-store.ts';
import type { SemanticCacheIndex } from '../ports/semantic-cache-index.ts';
import type { ProviderModel } from '../providers/provider-model.ts';
import type { HostGuard } from '../security/host-guard.ts';
import type { UsageLimitSettings } from './usage-limits-step.ts';

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
  /** Refuse calls without a gateway key (NONE URL). @default true on AWS, false locally */
  requireGatewayKey?: boolean | undefined;
  /** The function URL's auth type; on AWS_IAM callers are IAM principals. @default 'NONE' */
  functionUrlAuth?: 'NONE' | 'AWS_IAM' | undefined;
  /** How long key, principal and virtual-key look-ups are reused (≤ 10 s). @default 5_000 */
  authCacheTtlMs?: number | undefined;
  /** Semantic cache threshold and message limit. @default DEFAULT_RESPONSE_CACHE_SETTINGS */
  cache?: ResponseCacheSettings | undefined;
}

/** The persistent stores: DynamoDB on AWS, the same code on dynalite locally. */
export interface GatewayStores {
  control: ControlStore;
  counters: CounterStore;
  cache: CacheStore;
  semanticIndex: SemanticCacheIndex;
  logs: LogStore;
  /** Analytics rollups (the admin API reads them; the gateway never does). */
  rollups?: RollupStore;
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
  /** Stores `POST /v1/feedback`. @default a recorder on `stores.logs` with the default retention */
  feedback?: FeedbackRecorder | undefined;
  stores: GatewayStores;
  /** Provider credentials of virtual keys. */
  keyVault: KeyVault;
  /** Gateway keys, IAM principals and virtual keys, looked up through a short cache. */
  access: AccessReads;
  /**
   * The semantic cache's embedder, loaded (and its code imported) on the first semantic
   * request; without it, semantic mode works as simple mode.
   */
  loadEmbedder?: (() => Promise<Embedder>) | undefined;
  /** Release what the runtime holds (clients, the local database); the runtime is unusable after. */
  close(): Promise<void>;
  /** Price table, default output reservation and budget alert sink. @default shipped prices, 4096 tokens, log lines */
  usageLimits?: UsageLimitSettings | undefined;
  /**
   * Budget and rate-limit settlements, merged per counter over `usageLimits.settleCoalesceMs`;
   * `close()` writes what waits. @default one per engine that writes each request's at once
   */
  settlements?: SettlementQueue | undefined;
}
