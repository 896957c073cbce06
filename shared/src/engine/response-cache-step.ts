import type { CacheWriteOutcome } from '../cache/cache-status.ts';
import type { ProviderResponse } from '../providers/provider-model.ts';
import type { LeafCall } from '../routing/execute-target-tree.ts';
import type { TargetNode } from '../routing/target-node.ts';
import type { CachedLeafCalls } from './cached-leaf-call.ts';
import type { RoutingTrace } from './gateway-response-headers.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import type { PreparedRequest } from './prepare-request.ts';

/** The response cache for one request. */
export interface RequestCache {
  /** The leaf call with the cache in front: a hit answers without calling the provider. */
  wrap(callLeaf: LeafCall<ProviderResponse>): LeafCall<ProviderResponse>;
  /** Settles once the answer's cache write has finished, or at once when there is none; never rejects. */
  written(): Promise<CacheWriteOutcome | undefined>;
}

export interface ResponseCacheStep {
  forRequest(prepared: PreparedRequest, trace: RoutingTrace, context: { workspaceId: string; signal: AbortSignal }): RequestCache;
}

/**
 * The cache step of the pipeline (see engine/cached-leaf-call.ts). The cache code is
 * imported on the first request whose target has a cache config, so gateways that never
 * cache do not load it at a cold start; a target without one goes straight to its provider.
 */
export function createResponseCacheStep(runtime: GatewayRuntime): ResponseCacheStep {
  let loading: Promise<CachedLeafCalls> | undefined;
  const load = (): Promise<CachedLeafCalls> => {
    loading ??= import('./cached-leaf-call.ts').then(
      (module) => module.createCachedLeafCalls(runtime),
      (error: unknown) => {
        // A chunk missing from a broken deployment is retried by the next request.
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };

  return {
    forRequest(prepared, trace, context) {
      let answered = false;
      let settleWritten: (write: Promise<CacheWriteOutcome | undefined> | undefined) => void = () => undefined;
      const written = new Promise<CacheWriteOutcome | undefined>((resolve) => {
        settleWritten = (write) => {
          answered = true;
          resolve(write?.catch(() => 'failed' as const));
        };
      });

      const wrap = (callLeaf: LeafCall<ProviderResponse>): LeafCall<ProviderResponse> => async (leaf: TargetNode) => {
        // Only the leaf that answers decides the status; a fallback may have tried others first.
        trace.cacheStatus = undefined;
        // The cache makes requests faster, never fails them: without its code they go uncached.
        const cached = leaf.settings.cache === undefined ? undefined : await load().catch(() => undefined);
        if (cached === undefined) {
          const response = await callLeaf(leaf);
          settleWritten(undefined);
          return response;
        }
        const result = await cached.call(leaf, callLeaf, { prepared, trace, ...context });
        settleWritten(result.write);
        return result.response;
      };

      // A request no leaf answered through the cache step has nothing to wait for.
      return { wrap, written: () => (answered ? written : Promise.resolve(undefined)) };
    },
  };
}
