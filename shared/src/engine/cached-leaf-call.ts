import { assembleStreamedAnswer } from '../cache/assemble-streamed-answer.ts';
import type { CacheableEndpoint } from '../cache/cache-key.ts';
import type { CacheWriteOutcome } from '../cache/cache-status.ts';
import { readCacheableAnswer } from '../cache/cacheable-answer.ts';
import { captureStream } from '../cache/capture-stream.ts';
import { replayAnswerAsSse } from '../cache/replay-cached-answer.ts';
import { type CacheHit, type CachePlan, createResponseCache } from '../cache/response-cache.ts';
import { isJsonObject } from '../core/json.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { ProviderResponse } from '../providers/provider-model.ts';
import type { LeafCall } from '../routing/execute-target-tree.ts';
import type { TargetNode } from '../routing/target-node.ts';
import { applyOverrideParams } from './call-leaf-target.ts';
import type { RoutingTrace } from './gateway-response-headers.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { PreparedRequest } from './prepare-request.ts';

/** What the cache step knows about the request a leaf call belongs to. */
export interface CachedCallContext {
  prepared: PreparedRequest;
  trace: RoutingTrace;
  workspaceId: string;
  signal: AbortSignal;
}

/** A leaf call's answer, and the cache write that follows it (undefined when nothing is written). */
export interface CachedCallResult {
  response: ProviderResponse;
  write: Promise<CacheWriteOutcome | undefined> | undefined;
}

export interface CachedLeafCalls {
  /** Call `leaf` with the cache in front of it (the leaf has a cache config). */
  call(leaf: TargetNode, callLeaf: LeafCall<ProviderResponse>, context: CachedCallContext): Promise<CachedCallResult>;
}

/** A streamed answer bigger than this many items (as SSE text) is not kept in memory for the cache. */
const STREAM_CAPTURE_FACTOR = 16;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function concatenated(chunks: readonly Uint8Array[]): string {
  const streaming = new TextDecoder();
  return chunks.map((chunk, index) => streaming.decode(chunk, { stream: index < chunks.length - 1 })).join('');
}

/** The answer a hit gives, in the form the caller asked for; undefined when it cannot take that form. */
function hitResponse(hit: CacheHit, endpoint: CacheableEndpoint, prepared: PreparedRequest): ProviderResponse | undefined {
  if (!prepared.stream) {
    return { kind: 'complete', status: 200, headers: new Headers({ 'content-type': 'application/json' }), body: encoder.encode(hit.answer), usage: undefined };
  }
  if (endpoint === 'embeddings') return undefined;
  let answer: unknown;
  try {
    answer = JSON.parse(hit.answer);
  } catch {
    return undefined;
  }
  const options = prepared.json?.stream_options;
  const includeUsage = isJsonObject(options) && options.include_usage === true;
  const body = isJsonObject(answer) ? replayAnswerAsSse(answer, endpoint, includeUsage) : undefined;
  if (body === undefined) return undefined;
  return { kind: 'stream', status: 200, headers: new Headers(), body, outcome: Promise.resolve({ usage: undefined }) };
}

/**
 * The response cache around leaf calls (loaded with the cache module on the first request
 * that has a cache config). The lookup happens per leaf target, once routing has picked it
 * and before its provider is called, because the key holds the target's resolved provider,
 * model and override_params. An answer is stored after its last byte has gone to the
 * caller, and only when it is complete and successful.
 */
export function createCachedLeafCalls(runtime: GatewayRuntime): CachedLeafCalls {
  const cache = createResponseCache({
    store: runtime.stores.cache,
    semanticIndex: runtime.stores.semanticIndex,
    clock: runtime.clock,
    settings: runtime.settings.cache,
  });
  const captureLimit = runtime.stores.cache.maxValueBytes * STREAM_CAPTURE_FACTOR;

  /** The embedder for a semantic request; a failure to load it makes the request simple. */
  async function embedderFor(mode: 'simple' | 'semantic'): Promise<Embedder | undefined> {
    if (mode !== 'semantic' || runtime.loadEmbedder === undefined) return undefined;
    return runtime.loadEmbedder().catch(() => undefined);
  }

  function storeAfterAnswer(response: ProviderResponse, endpoint: CacheableEndpoint, plan: CachePlan, embedding: Float32Array | undefined): CachedCallResult {
    if (response.status !== 200) return { response, write: undefined };
    if (response.kind === 'complete') {
      const body = response.body;
      const write = new Promise<CacheWriteOutcome | undefined>((resolve) => {
        // A macrotask later: the caller's response is on its way before the cache work starts.
        setImmediate(() => {
          const text = decoder.decode(body);
          resolve(readCacheableAnswer(endpoint, text) === undefined ? undefined : cache.store(plan, text, embedding));
        });
      });
      return { response, write };
    }
    if (response.kind !== 'stream' || endpoint === 'embeddings') return { response, write: undefined };
    const captured = captureStream(response.body, captureLimit);
    // Both: the outcome settles as the last chunk is produced, the capture once the caller has read it.
    const write = Promise.all([response.outcome, captured.ended]).then(async ([outcome, complete]): Promise<CacheWriteOutcome | undefined> => {
      // Errors, truncation and a caller who left early all end the stream with an error.
      if (outcome.error !== undefined || !complete) return undefined;
      const chunks = captured.captured();
      if (chunks === undefined) return 'too_large';
      const answer = assembleStreamedAnswer(concatenated(chunks), endpoint, outcome.usage);
      return answer === undefined ? undefined : cache.store(plan, JSON.stringify(answer), embedding);
    });
    return { response: { ...response, body: captured.body }, write };
  }

  return {
    async call(leaf, callLeaf, { prepared, trace, workspaceId, signal }) {
      const { cache: config, provider } = leaf.settings;
      const body = applyOverrideParams(prepared.json, leaf.settings.overrideParams);
      if (config === undefined || provider === undefined || body === undefined) return { response: await callLeaf(leaf), write: undefined };
      const request = {
        workspaceId,
        endpoint: prepared.endpoint,
        provider,
        customHost: leaf.settings.customHost,
        options: leaf.settings.options,
        body,
        config,
        forceRefresh: prepared.portkey.cacheForceRefresh,
      };
      const plan = cache.plan(request, await embedderFor(config.mode));
      if (plan === undefined) return { response: await callLeaf(leaf), write: undefined };
      // plan() returns a plan only for cacheable endpoints.
      const endpoint = prepared.endpoint as CacheableEndpoint;
      let embedding: Float32Array | undefined;
      if (!plan.forceRefresh) {
        const lookup = await cache.lookup(plan, signal);
        const hit = lookup.hit === undefined ? undefined : hitResponse(lookup.hit, endpoint, prepared);
        if (lookup.hit !== undefined && hit !== undefined) {
          trace.lastUsedOptionIndex = leaf.path;
          trace.retries = 0;
          trace.provider = provider;
          trace.model = typeof body.model === 'string' ? body.model : undefined;
          trace.cacheStatus = lookup.hit.status;
          return { response: hit, write: undefined };
        }
        embedding = lookup.embedding;
      }
      trace.cacheStatus = plan.forceRefresh ? 'REFRESH' : 'MISS';
      return storeAfterAnswer(await callLeaf(leaf), endpoint, plan, embedding);
    },
  };
}
