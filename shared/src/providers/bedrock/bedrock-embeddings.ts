import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { EmbeddingResponse } from '../../core/chat-types.ts';
import { BadGatewayError, BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';
import type { Usage } from '../../core/usage.ts';
import type { CohereEmbeddingResponse, TitanEmbeddingResponse } from './bedrock-api-types.ts';
import { invokeBedrockModel } from './invoke-bedrock-model.ts';
import { mapWithConcurrency } from './map-with-concurrency.ts';

/** Titan embeds one text per call; this many InvokeModel calls run at once for a list of inputs. */
const INVOKE_CONCURRENCY = 4;
/** Cohere Embed takes at most 96 texts per call. */
const COHERE_BATCH_SIZE = 96;

type EmbeddingFamily = 'titan-v2' | 'titan-v1' | 'cohere';

/**
 * Which request format a model id speaks. Matched anywhere in the id so that inference
 * profile ids (`us.cohere.embed-v4:0`) work; ARNs of provisioned models do not name the
 * model and cannot be told apart, so they are refused with a clear message.
 */
function embeddingFamily(model: string): EmbeddingFamily {
  if (model.includes('amazon.titan-embed-text-v2')) return 'titan-v2';
  if (model.includes('amazon.titan-embed-text-v1') || model.includes('amazon.titan-embed-g1-text')) return 'titan-v1';
  if (model.includes('cohere.embed-')) return 'cohere';
  throw new BadRequestError(
    `Bedrock embeddings support Amazon Titan Text Embeddings (amazon.titan-embed-text-v2:0) and Cohere Embed (cohere.embed-*) models; "${model}" is neither.`,
    'unsupported_model',
    'model',
  );
}

function readInputs(raw: JsonValue | undefined): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.length > 0 && raw.every((item) => typeof item === 'string')) return raw as string[];
  throw new BadRequestError('Bedrock embeddings take input as a string or a non-empty array of strings (token arrays are not supported).', 'invalid_parameter', 'input');
}

/** OpenAI's base64 encoding: the float32 little-endian bytes of the vector. */
function float32Base64(vector: readonly number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer.toString('base64');
}

function isVector(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

function malformed(): BadGatewayError {
  return new BadGatewayError('Bedrock answered an embedding request with a body the gateway cannot read.', 'invalid_upstream_response');
}

async function titanEmbeddings(
  client: BedrockRuntimeClient,
  model: string,
  family: EmbeddingFamily,
  body: JsonObject,
  inputs: string[],
  signal: AbortSignal,
  warnings: Set<string>,
): Promise<{ vectors: number[][]; promptTokens: number }> {
  const options: JsonObject = {};
  if (family === 'titan-v2') {
    if (typeof body.dimensions === 'number') options.dimensions = body.dimensions;
    // OpenAI's vectors are unit length; Titan's only when asked.
    options.normalize = typeof body.normalize === 'boolean' ? body.normalize : true;
  } else if (body.dimensions !== undefined) {
    warnings.add('dimensions');
  }
  const answers = await mapWithConcurrency(inputs, INVOKE_CONCURRENCY, (inputText) =>
    invokeBedrockModel(client, model, { inputText, ...options }, signal),
  );
  let promptTokens = 0;
  const vectors = answers.map(({ json, inputTokenCount }) => {
    const answer = (isJsonObject(json) ? json : {}) as TitanEmbeddingResponse;
    if (!isVector(answer.embedding)) throw malformed();
    promptTokens += typeof answer.inputTextTokenCount === 'number' ? answer.inputTextTokenCount : (inputTokenCount ?? 0);
    return answer.embedding;
  });
  return { vectors, promptTokens };
}

function cohereVectors(json: JsonValue): number[][] {
  const answer = (isJsonObject(json) ? json : {}) as CohereEmbeddingResponse;
  const embeddings = answer.embeddings;
  const vectors = Array.isArray(embeddings) ? embeddings : embeddings?.float;
  if (!Array.isArray(vectors) || !vectors.every(isVector)) throw malformed();
  return vectors;
}

async function cohereEmbeddings(
  client: BedrockRuntimeClient,
  model: string,
  body: JsonObject,
  inputs: string[],
  signal: AbortSignal,
  warnings: Set<string>,
): Promise<{ vectors: number[][]; promptTokens: number }> {
  // input_type is required by Cohere; OpenAI callers embed documents far more often than queries.
  const options: JsonObject = { input_type: typeof body.input_type === 'string' ? body.input_type : 'search_document', embedding_types: ['float'] };
  if (typeof body.truncate === 'string') options.truncate = body.truncate;
  if (body.dimensions !== undefined) {
    if (model.includes('embed-v4') && typeof body.dimensions === 'number') options.output_dimension = body.dimensions;
    else warnings.add('dimensions');
  }
  const batches: string[][] = [];
  for (let start = 0; start < inputs.length; start += COHERE_BATCH_SIZE) batches.push(inputs.slice(start, start + COHERE_BATCH_SIZE));
  const answers = await mapWithConcurrency(batches, INVOKE_CONCURRENCY, (texts) => invokeBedrockModel(client, model, { texts, ...options }, signal));
  const vectors: number[][] = [];
  let promptTokens = 0;
  answers.forEach(({ json, inputTokenCount }, index) => {
    const batch = cohereVectors(json);
    if (batch.length !== batches[index]?.length) throw malformed();
    vectors.push(...batch);
    promptTokens += inputTokenCount ?? 0;
  });
  return { vectors, promptTokens };
}

/**
 * An OpenAI embeddings request through InvokeModel: Titan Text Embeddings take one text per
 * call (run a few at a time), Cohere Embed takes up to 96 per call. Usage comes from Titan's
 * `inputTextTokenCount`, or from Bedrock's token-count header for Cohere.
 */
export async function createBedrockEmbeddings(
  client: BedrockRuntimeClient,
  body: JsonObject,
  signal: AbortSignal,
): Promise<{ response: EmbeddingResponse; usage: Usage; warnings: string[] }> {
  const model = body.model;
  if (typeof model !== 'string' || model === '') throw new BadRequestError('model must be a non-empty string.', 'invalid_parameter', 'model');
  const family = embeddingFamily(model);
  const inputs = readInputs(body.input);
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw new BadRequestError("encoding_format must be 'float' or 'base64'.", 'invalid_parameter', 'encoding_format');
  }
  const warnings = new Set<string>();
  const { vectors, promptTokens } =
    family === 'cohere'
      ? await cohereEmbeddings(client, model, body, inputs, signal, warnings)
      : await titanEmbeddings(client, model, family, body, inputs, signal, warnings);
  const response: EmbeddingResponse = {
    object: 'list',
    data: vectors.map((vector, index) => ({ object: 'embedding', index, embedding: format === 'base64' ? float32Base64(vector) : vector })),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  };
  return { response, usage: { promptTokens, completionTokens: 0, totalTokens: promptTokens }, warnings: [...warnings].sort() };
}
