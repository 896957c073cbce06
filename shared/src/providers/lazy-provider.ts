import type { ProviderModel, ProviderRequest, ProviderResponse } from './provider-model.ts';

/**
 * A provider whose code is loaded on its first call. The composition root lists every
 * provider, but a Lambda container usually serves a few of them: loading a native provider
 * (its request conversion, stream transformer, and for Bedrock the AWS SDK) only when a
 * request first names it keeps that code out of the cold start, and, with the bundle split
 * into chunks, out of the bytes loaded at start-up. `id` and `requiresApiKey` are known
 * before loading because the engine checks credentials before it calls; a loaded provider
 * that disagrees with them is a wiring mistake and fails its calls.
 *
 * @example
 * createLazyProvider('cohere', true, async () => (await import('./cohere/cohere-provider.ts')).createCohereProvider(deps));
 */
export function createLazyProvider(id: string, requiresApiKey: boolean, load: () => Promise<ProviderModel>): ProviderModel {
  let loaded: ProviderModel | undefined;
  let loading: Promise<ProviderModel> | undefined;

  function provider(): Promise<ProviderModel> {
    loading ??= load().then(
      (model) => {
        if (model.id !== id || model.requiresApiKey !== requiresApiKey) {
          throw new Error(
            `Provider "${id}" (requiresApiKey ${requiresApiKey}) loaded as "${model.id}" (requiresApiKey ${model.requiresApiKey}).`,
          );
        }
        loaded = model;
        return model;
      },
      (error: unknown) => {
        // A failed import (a chunk missing from a broken deployment) is retried by the next
        // call instead of failing every call for the life of the container.
        loading = undefined;
        throw error;
      },
    );
    return loading;
  }

  return {
    id,
    requiresApiKey,
    async call(request: ProviderRequest): Promise<ProviderResponse> {
      return (loaded ?? (await provider())).call(request);
    },
  };
}
