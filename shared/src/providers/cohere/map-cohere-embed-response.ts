import type { EmbeddingResponse } from '../../core/chat-types.ts';
import { BadGatewayError } from '../../core/gateway-error.ts';
import type { Usage } from '../../core/usage.ts';
import type { CohereEmbedResponse } from './cohere-api-types.ts';

/** OpenAI's base64 embeddings are the vector's little-endian float32 bytes. */
export function float32Base64(vector: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  let binary = '';
  for (const byte of new Uint8Array(view.buffer)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function floatVectors(response: CohereEmbedResponse): number[][] {
  const embeddings = response.embeddings;
  const vectors = Array.isArray(embeddings) ? embeddings : embeddings?.float;
  if (!Array.isArray(vectors)) {
    throw new BadGatewayError('cohere answered an embed request without float embeddings.', 'invalid_upstream_response');
  }
  return vectors;
}

/** A Cohere `/v2/embed` answer as an OpenAI embeddings response. */
export function mapCohereEmbedResponse(
  response: CohereEmbedResponse,
  context: { model: string; base64: boolean },
): { embeddings: EmbeddingResponse; usage: Usage | undefined } {
  const data = floatVectors(response).map((vector, index) => ({
    object: 'embedding' as const,
    index,
    embedding: context.base64 ? float32Base64(vector) : vector,
  }));
  const tokens = response.meta?.billed_units?.input_tokens;
  const promptTokens = typeof tokens === 'number' ? tokens : 0;
  return {
    embeddings: { object: 'list', data, model: context.model, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } },
    usage: typeof tokens === 'number' ? { promptTokens, completionTokens: 0, totalTokens: promptTokens } : undefined,
  };
}
