/**
 * The Bedrock shapes the provider works with. Converse types come from the AWS SDK, which
 * parses the wire format itself and drops members it does not model, so unknown fields from
 * Bedrock never reach this code. InvokeModel bodies are opaque bytes to the SDK, so the
 * embedding answers are typed here, leniently.
 */
export type {
  ContentBlock,
  ConverseRequest,
  ConverseResponse,
  ConverseStreamOutput,
  ImageFormat,
  Message,
  SystemContentBlock,
  TokenUsage,
  Tool,
  ToolChoice,
  ToolConfiguration,
  ToolResultContentBlock,
} from '@aws-sdk/client-bedrock-runtime';

/**
 * Amazon Titan Text Embeddings answer (v1 and v2).
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-titan-embed-text.html
 */
export interface TitanEmbeddingResponse {
  embedding?: number[];
  inputTextTokenCount?: number;
}

/**
 * Cohere Embed answer on Bedrock: a list of vectors (v3 without `embedding_types`), or vectors
 * by type (`{ float: [...] }`, v3 with `embedding_types` and v4).
 * https://docs.aws.amazon.com/bedrock/latest/userguide/model-parameters-embed.html
 */
export interface CohereEmbeddingResponse {
  id?: string;
  embeddings?: number[][] | { float?: number[][] };
}
