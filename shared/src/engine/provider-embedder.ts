import { BadGatewayError } from '../core/gateway-error.ts';
import { isJsonObject } from '../core/json.ts';
import type { Embedder } from '../ports/embedder.ts';
import type { ProviderModel } from '../providers/provider-model.ts';

export interface ProviderEmbedderOptions {
  providers: ReadonlyMap<string, ProviderModel>;
  /** A provider id the gateway knows, such as `openai`, `cohere` or `bedrock`. */
  provider: string;
  model: string;
  /** The provider credential, when it needs one. */
  apiKey?: string | undefined;
}

const NEVER_ABORTED = new AbortController().signal;

function readVectors(body: Uint8Array, count: number, name: string): number[][] {
  let answer: unknown;
  try {
    answer = JSON.parse(new TextDecoder().decode(body));
  } catch {
    answer = undefined;
  }
  const data = isJsonObject(answer) && Array.isArray(answer.data) ? answer.data : [];
  const vectors: number[][] = [];
  for (const item of data) {
    if (!isJsonObject(item) || typeof item.index !== 'number' || !Array.isArray(item.embedding)) continue;
    const embedding = item.embedding;
    if (embedding.every((value) => typeof value === 'number')) vectors[item.index] = embedding as number[];
  }
  if (vectors.length !== count || vectors.some((vector) => vector === undefined)) {
    throw new BadGatewayError(`The semantic cache's embedder ${name} answered without one vector per text.`, 'invalid_upstream_response');
  }
  return vectors;
}

/**
 * An Embedder that calls an embeddings model through the gateway's own providers
 * (`TURNPIKE_EMBEDDER=<provider>:<model>`), for operators who want the semantic cache on a
 * model other than the default: OpenAI, Cohere, Gemini, Bedrock Cohere Embed, a local server.
 */
export function createProviderEmbedder(options: ProviderEmbedderOptions): Embedder {
  const name = `${options.provider}:${options.model}`;
  return {
    id: `provider:${name}`,
    async embed(texts, signal) {
      const provider = options.providers.get(options.provider);
      if (provider === undefined) throw new Error(`The semantic cache's embedder names an unknown provider "${options.provider}".`);
      const response = await provider.call({
        endpoint: 'embeddings',
        method: 'POST',
        path: '/embeddings',
        search: '',
        body: { model: options.model, input: [...texts] },
        rawBody: undefined,
        contentType: 'application/json',
        stream: false,
        headers: new Headers({ 'content-type': 'application/json' }),
        metadata: {},
        target: { provider: options.provider, apiKey: options.apiKey, forwardHeaders: [], options: {} },
        signal: signal ?? NEVER_ABORTED,
        attempt: 0,
      });
      if (response.kind !== 'complete') throw new BadGatewayError(`The semantic cache's embedder ${name} did not answer with JSON.`, 'invalid_upstream_response');
      return readVectors(response.body, texts.length, name);
    },
  };
}
