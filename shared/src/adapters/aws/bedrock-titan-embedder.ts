import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Embedder } from '../../ports/embedder.ts';

export interface BedrockTitanEmbedderOptions {
  /** A client to use; by default one is created on the first call (the SDK loads only then). */
  client?: BedrockRuntimeClient;
  /** Region of the default client. @default the SDK's (AWS_REGION on Lambda) */
  region?: string;
  /** @default 'amazon.titan-embed-text-v2:0' */
  modelId?: string;
  /** Titan v2 gives 256, 512 or 1024 dimensions; 512 keeps an index item at 2 KB. @default 512 */
  dimensions?: 256 | 512 | 1024;
}

/** The InvokeModel answer of Titan Text Embeddings v2 (only what the embedder reads). */
interface TitanEmbeddingAnswer {
  embedding?: unknown;
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * The AWS semantic cache's embedder: Amazon Titan Text Embeddings v2 through Bedrock
 * InvokeModel, one call per text, vectors normalised by the model. The SDK is imported on the
 * first call so that gateways that never use the semantic cache do not load it at cold start.
 * https://docs.aws.amazon.com/bedrock/latest/userguide/titan-embedding-models.html
 */
export function createBedrockTitanEmbedder(options: BedrockTitanEmbedderOptions = {}): Embedder {
  const modelId = options.modelId ?? 'amazon.titan-embed-text-v2:0';
  const dimensions = options.dimensions ?? 512;
  let sdk: Promise<{ client: BedrockRuntimeClient; InvokeModelCommand: typeof import('@aws-sdk/client-bedrock-runtime').InvokeModelCommand }> | undefined;

  function loadSdk() {
    sdk ??= import('@aws-sdk/client-bedrock-runtime').then(
      (module) => ({
        client: options.client ?? new module.BedrockRuntimeClient(options.region === undefined ? {} : { region: options.region }),
        InvokeModelCommand: module.InvokeModelCommand,
      }),
      (error: unknown) => {
        sdk = undefined;
        throw error;
      },
    );
    return sdk;
  }

  async function embedOne(text: string, signal: AbortSignal | undefined): Promise<number[]> {
    const { client, InvokeModelCommand } = await loadSdk();
    const command = new InvokeModelCommand({
      modelId,
      contentType: 'application/json',
      accept: 'application/json',
      body: encoder.encode(JSON.stringify({ inputText: text, dimensions, normalize: true })),
    });
    const output = await client.send(command, signal === undefined ? {} : { abortSignal: signal });
    const answer = JSON.parse(decoder.decode(output.body)) as TitanEmbeddingAnswer;
    const vector = answer.embedding;
    if (!Array.isArray(vector) || vector.length === 0 || !vector.every((value) => typeof value === 'number')) {
      throw new Error(`${modelId} answered without an embedding.`);
    }
    return vector as number[];
  }

  return {
    id: `bedrock:${modelId}:${dimensions}`,
    embed: (texts, signal) => Promise.all(texts.map((text) => embedOne(text, signal))),
  };
}
