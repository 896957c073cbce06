import type { EmbeddingResponse } from '../../core/chat-types.ts';
import { BadGatewayError, BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';
import type { GeminiEmbedContentRequest, GeminiEmbedding } from './gemini-api-types.ts';
import { geminiModelResource } from './gemini-url.ts';

/** Parameters read below or with nothing to send; any other is dropped with a warning. */
const HANDLED: ReadonlySet<string> = new Set(['model', 'input', 'dimensions', 'encoding_format', 'user']);

export interface ConvertedEmbeddingRequest {
  /** `embedContent` for one input, `batchEmbedContents` for several. */
  method: 'embedContent' | 'batchEmbedContents';
  body: GeminiEmbedContentRequest | { requests: GeminiEmbedContentRequest[] };
  warnings: string[];
  encoding: 'float' | 'base64';
}

function inputTexts(input: JsonValue | undefined): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) return input as string[];
  throw new BadRequestError(
    'Gemini embeds text only: input must be a string or a non-empty array of strings (token arrays are not supported).',
    'invalid_parameter',
    'input',
  );
}

/**
 * An OpenAI embeddings body as Gemini's: one input goes to embedContent, several to
 * batchEmbedContents (one request per input, each naming the model); `dimensions` becomes
 * outputDimensionality.
 */
export function convertEmbeddingRequest(body: JsonObject): ConvertedEmbeddingRequest {
  const model = geminiModelResource(body.model);
  const texts = inputTexts(body.input);
  const dimensions = body.dimensions;
  if (dimensions !== undefined && dimensions !== null && typeof dimensions !== 'number') {
    throw new BadRequestError('dimensions must be a number.', 'invalid_parameter', 'dimensions');
  }
  const single = (text: string): GeminiEmbedContentRequest => {
    const request: GeminiEmbedContentRequest = { content: { parts: [{ text }] } };
    if (typeof dimensions === 'number') request.outputDimensionality = dimensions;
    return request;
  };
  const encoding = body.encoding_format === 'base64' ? 'base64' : 'float';
  const warnings = Object.keys(body).filter((name) => !HANDLED.has(name) && body[name] !== undefined);
  const [only] = texts;
  if (texts.length === 1 && only !== undefined) {
    return { method: 'embedContent', body: single(only), warnings, encoding };
  }
  const requests = texts.map((text) => ({ model, ...single(text) }));
  return { method: 'batchEmbedContents', body: { requests }, warnings, encoding };
}

/** Float32 little-endian bytes in base64, as OpenAI's `encoding_format: base64` returns them. */
function base64Floats(values: number[]): string {
  const bytes = new Uint8Array(new Float32Array(values).buffer);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function vectors(answer: JsonValue): number[][] {
  const list: JsonValue[] | undefined = isJsonObject(answer)
    ? isJsonObject(answer.embedding)
      ? [answer.embedding]
      : Array.isArray(answer.embeddings)
        ? answer.embeddings
        : undefined
    : undefined;
  if (list === undefined) throw new BadGatewayError('google answered embeddings without an embedding.', 'invalid_upstream_response');
  return list.map((embedding) => {
    const values = isJsonObject(embedding) ? (embedding as GeminiEmbedding).values : undefined;
    if (!Array.isArray(values)) throw new BadGatewayError('google answered an embedding without values.', 'invalid_upstream_response');
    return values;
  });
}

/**
 * Gemini's embedding answer in OpenAI's shape. Gemini reports no token counts for embeddings,
 * so usage is 0 unless a usageMetadata is present (it is not estimated: a guess would
 * mislead budgets more than a known gap).
 */
export function mapEmbeddingResponse(answer: JsonValue, model: string, encoding: 'float' | 'base64'): { response: EmbeddingResponse; usage: Usage } {
  const data = vectors(answer).map((values, index) => ({
    object: 'embedding' as const,
    index,
    embedding: encoding === 'base64' ? base64Floats(values) : values,
  }));
  const metadata = isJsonObject(answer) && isJsonObject(answer.usageMetadata) ? answer.usageMetadata : undefined;
  const tokens = typeof metadata?.promptTokenCount === 'number' ? metadata.promptTokenCount : 0;
  return {
    response: { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
    usage: { promptTokens: tokens, completionTokens: 0, totalTokens: tokens },
  };
}
