import type { Embedder } from '../ports/embedder.ts';
import type { ProviderModel } from '../providers/provider-model.ts';
import type { EmbedderChoice } from './read-cache-options.ts';
import type { Environment } from './read-runtime-options.ts';

/** An embedder, or how to make one (perhaps by importing its code) from the gateway's providers. */
export type EmbedderSource = Embedder | ((providers: ReadonlyMap<string, ProviderModel>) => Promise<Embedder>);

/**
 * How to make the embedder of a choice. Each is imported on first use, so a gateway that
 * never serves a semantic request loads none of them. `<provider>:<model>` calls through the
 * gateway's providers, with `TURNPIKE_EMBEDDER_API_KEY` as its credential when it needs one.
 */
export function embedderFor(choice: EmbedderChoice, env: Environment): EmbedderSource {
  switch (choice.kind) {
    case 'ngram':
      return async () => (await import('../adapters/local/ngram-embedder.ts')).createNgramEmbedder();
    case 'titan':
      return async () => (await import('../adapters/aws/bedrock-titan-embedder.ts')).createBedrockTitanEmbedder();
    case 'provider':
      return async (providers) =>
        (await import('../engine/provider-embedder.ts')).createProviderEmbedder({
          providers,
          provider: choice.provider,
          model: choice.model,
          apiKey: env.TURNPIKE_EMBEDDER_API_KEY || undefined,
        });
  }
}

/** The runtime's `loadEmbedder`: makes the embedder once, and tries again after a failure. */
export function embedderLoader(source: EmbedderSource | undefined, providers: ReadonlyMap<string, ProviderModel>): (() => Promise<Embedder>) | undefined {
  if (source === undefined) return undefined;
  let loading: Promise<Embedder> | undefined;
  return () => {
    loading ??= (typeof source === 'function' ? source(providers) : Promise.resolve(source)).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
