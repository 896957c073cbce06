import type { Endpoint } from '../core/endpoint.ts';
import type { JsonObject } from '../core/json.ts';
import type { CacheStore } from '../ports/cache-store.ts';
import type { Clock } from '../ports/clock.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { SemanticBucket, SemanticCacheIndex, SemanticIndexEntry } from '../ports/semantic-cache-index.ts';
import type { CacheConfig } from '../protocol/config-schema.ts';
import { type CacheableEndpoint, type CacheScope, responseCacheKey, semanticParametersHash } from './cache-key.ts';
import type { CacheWriteOutcome } from './cache-status.ts';
import { decodeCachedAnswer, encodeCachedAnswer } from './cached-answer-codec.ts';
import { DEFAULT_LSH_LAYOUT, type LshLayout, lshBuckets } from './lsh-buckets.ts';
import { DEFAULT_MAX_AGE_SECONDS, DEFAULT_RESPONSE_CACHE_SETTINGS, type ResponseCacheSettings } from './response-cache-settings.ts';
import { type SemanticPrompt, semanticPrompt } from './semantic-prompt.ts';
import { dotProduct, unitVector } from './vector-math.ts';

const CACHEABLE_ENDPOINTS: ReadonlySet<Endpoint> = new Set<CacheableEndpoint>(['chat.completions', 'completions', 'embeddings']);
/** Index entries read per LSH bucket: with 6 tables a lookup compares at most 150 vectors. */
const CANDIDATES_PER_BUCKET = 25;
/** Candidates above the threshold whose answers are tried, best first (an answer may have expired). */
const ANSWERS_TRIED = 3;

/** One request (at one leaf target), as far as the cache is concerned. */
export interface CacheRequest extends CacheScope {
  endpoint: CacheableEndpoint;
  /** The body the provider would get, after override_params. */
  body: JsonObject;
  config: CacheConfig;
  /** `x-portkey-cache-force-refresh`: skip the read, refresh the entry. */
  forceRefresh: boolean;
}

/** What the cache will do for one request. */
export interface CachePlan {
  key: string;
  maxAgeSeconds: number;
  forceRefresh: boolean;
  /** Present when the request is looked up by similarity too (semantic mode, an embedder, and eligible). */
  semantic: { prompt: SemanticPrompt; scope: Omit<SemanticBucket, 'bucket'>; embedder: Embedder } | undefined;
}

export interface CacheHit {
  status: 'HIT' | 'SEMANTIC HIT';
  /** The cached answer's JSON text. */
  answer: string;
}

export interface CacheLookup {
  hit: CacheHit | undefined;
  /** The prompt's embedding when the lookup computed one; the write reuses it. */
  embedding: Float32Array | undefined;
}

export interface ResponseCacheDependencies {
  store: CacheStore;
  semanticIndex: SemanticCacheIndex;
  clock: Pick<Clock, 'now'>;
  settings?: ResponseCacheSettings | undefined;
  layout?: LshLayout | undefined;
  /** Told about failures the cache absorbed (a store or the embedder down); requests go on without the cache. */
  onError?: ((error: unknown) => void) | undefined;
}

export interface ResponseCache {
  /**
   * The plan for a request, or undefined when the endpoint is not cacheable. Without an
   * embedder, semantic mode works as simple mode.
   */
  plan(request: Omit<CacheRequest, 'endpoint'> & { endpoint: Endpoint }, embedder: Embedder | undefined): CachePlan | undefined;
  /** Exact match first; then, in semantic mode, the most similar answer above the threshold. Never rejects. */
  lookup(plan: CachePlan, signal?: AbortSignal): Promise<CacheLookup>;
  /** Store a complete answer (JSON text) and, in semantic mode, file it in the index. Never rejects. */
  store(plan: CachePlan, answer: string, embedding: Float32Array | undefined): Promise<CacheWriteOutcome>;
}

/**
 * The response cache: simple mode finds answers by the exact key of what determines them;
 * semantic mode also finds the answer to a similar prompt through an LSH index of prompt
 * embeddings kept in the same table. Failures of the store or the embedder turn into
 * misses: the cache can make a request faster, never fail it.
 */
export function createResponseCache(dependencies: ResponseCacheDependencies): ResponseCache {
  const { store, semanticIndex, clock } = dependencies;
  const settings = dependencies.settings ?? DEFAULT_RESPONSE_CACHE_SETTINGS;
  const layout = dependencies.layout ?? DEFAULT_LSH_LAYOUT;
  const reportError = (error: unknown): void => {
    try {
      dependencies.onError?.(error);
    } catch {
      // A broken reporter must not break the request either.
    }
  };

  async function readAnswer(key: string, maxAgeSeconds: number): Promise<string | undefined> {
    try {
      const cached = await store.get(key);
      // The entry may have been stored under a longer max_age than this request allows.
      if (cached === undefined || clock.now() - cached.createdAt >= maxAgeSeconds * 1000) return undefined;
      return decodeCachedAnswer(cached.value);
    } catch (error) {
      reportError(error);
      return undefined;
    }
  }

  async function embed(embedder: Embedder, text: string, signal: AbortSignal | undefined): Promise<Float32Array> {
    const [vector] = await embedder.embed([text], signal);
    if (vector === undefined || vector.length === 0) throw new Error(`The embedder ${embedder.id} returned no vector.`);
    return unitVector(vector);
  }

  async function candidates(scope: Omit<SemanticBucket, 'bucket'>, embedding: Float32Array): Promise<Array<SemanticIndexEntry & { similarity: number }>> {
    const buckets = lshBuckets(embedding, layout);
    const lists = await Promise.all(buckets.map((bucket) => semanticIndex.entries({ ...scope, bucket }, CANDIDATES_PER_BUCKET)));
    const byKey = new Map<string, SemanticIndexEntry & { similarity: number }>();
    for (const entry of lists.flat()) {
      if (!byKey.has(entry.cacheKey)) byKey.set(entry.cacheKey, { ...entry, similarity: dotProduct(entry.embedding, embedding) });
    }
    return [...byKey.values()].filter((entry) => entry.similarity >= settings.semanticThreshold).sort((a, b) => b.similarity - a.similarity);
  }

  return {
    plan(request, embedder) {
      if (!CACHEABLE_ENDPOINTS.has(request.endpoint)) return undefined;
      const scope: CacheScope = { ...request, endpoint: request.endpoint as CacheableEndpoint };
      const prompt =
        request.config.mode === 'semantic' && embedder !== undefined
          ? semanticPrompt(scope.endpoint, request.body, settings.semanticMaxMessages)
          : undefined;
      return {
        key: responseCacheKey(scope, request.body),
        maxAgeSeconds: request.config.max_age ?? DEFAULT_MAX_AGE_SECONDS,
        forceRefresh: request.forceRefresh,
        semantic:
          prompt === undefined || embedder === undefined
            ? undefined
            : {
                prompt,
                scope: {
                  workspaceId: request.workspaceId,
                  model: typeof request.body.model === 'string' ? request.body.model : '',
                  parametersHash: semanticParametersHash(scope, request.body, prompt.promptFields, prompt.instructions, embedder.id),
                },
                embedder,
              },
      };
    },

    async lookup(plan, signal) {
      const exact = await readAnswer(plan.key, plan.maxAgeSeconds);
      if (exact !== undefined) return { hit: { status: 'HIT', answer: exact }, embedding: undefined };
      if (plan.semantic === undefined) return { hit: undefined, embedding: undefined };
      let embedding: Float32Array;
      let found: Array<SemanticIndexEntry & { similarity: number }>;
      try {
        embedding = await embed(plan.semantic.embedder, plan.semantic.prompt.text, signal);
      } catch (error) {
        reportError(error);
        return { hit: undefined, embedding: undefined };
      }
      try {
        found = await candidates(plan.semantic.scope, embedding);
      } catch (error) {
        reportError(error);
        return { hit: undefined, embedding };
      }
      for (const candidate of found.filter((entry) => entry.cacheKey !== plan.key).slice(0, ANSWERS_TRIED)) {
        const answer = await readAnswer(candidate.cacheKey, plan.maxAgeSeconds);
        if (answer !== undefined) return { hit: { status: 'SEMANTIC HIT', answer }, embedding };
      }
      return { hit: undefined, embedding };
    },

    async store(plan, answer, embedding) {
      try {
        const value = await encodeCachedAnswer(answer);
        if (value.byteLength > store.maxValueBytes) return 'too_large';
        // Whole seconds, rounded up: an entry lives at least max_age.
        const expiresAt = Math.ceil((clock.now() + plan.maxAgeSeconds * 1000) / 1000);
        await store.put(plan.key, value, { expiresAt });
        const semantic = plan.semantic;
        if (semantic !== undefined) {
          const vector = embedding ?? (await embed(semantic.embedder, semantic.prompt.text, undefined));
          const entry = { cacheKey: plan.key, embedding: vector, expiresAt };
          await Promise.all(lshBuckets(vector, layout).map((bucket) => semanticIndex.add({ ...semantic.scope, bucket }, entry)));
        }
        return 'stored';
      } catch (error) {
        if (error instanceof RangeError) return 'too_large';
        reportError(error);
        return 'failed';
      }
    },
  };
}
