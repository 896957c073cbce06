import { BadRequestError } from '../../core/gateway-error.ts';
import type { JsonObject, JsonValue } from '../../core/json.ts';
import type { CohereEmbedRequest } from './cohere-api-types.ts';

export interface ConvertedEmbedRequest {
  body: CohereEmbedRequest;
  /** The caller asked for base64: Cohere sends floats, which the gateway encodes. */
  base64: boolean;
  warnings: string[];
}

/** Read by the conversion itself. */
const HANDLED: ReadonlySet<string> = new Set(['model', 'input', 'encoding_format', 'dimensions', 'input_type', 'truncate']);

/**
 * Cohere's v3+ embedding models require an input_type. Documents is the safe default for an
 * OpenAI caller, who has no way to say; a caller embedding queries sends `input_type:
 * "search_query"` as an extra parameter.
 */
const DEFAULT_INPUT_TYPE = 'search_document';

function texts(input: JsonValue | undefined): string[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0 && input.every((item) => typeof item === 'string')) return input as string[];
  throw new BadRequestError('cohere embeddings take `input` as a string or a non-empty array of strings (token arrays are not supported).', 'invalid_request', 'input');
}

/** Turn an OpenAI embeddings request into a Cohere `/v2/embed` body. */
export function convertToCohereEmbedRequest(openAI: JsonObject): ConvertedEmbedRequest {
  if (typeof openAI.model !== 'string' || openAI.model === '') {
    throw new BadRequestError('`model` must be a non-empty string.', 'invalid_request', 'model');
  }
  const format = openAI.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw new BadRequestError("`encoding_format` must be 'float' or 'base64'.", 'invalid_request', 'encoding_format');
  }
  const body: CohereEmbedRequest = {
    model: openAI.model,
    texts: texts(openAI.input),
    input_type: typeof openAI.input_type === 'string' ? openAI.input_type : DEFAULT_INPUT_TYPE,
    embedding_types: ['float'],
  };
  if (typeof openAI.dimensions === 'number') body.output_dimension = openAI.dimensions;
  if (typeof openAI.truncate === 'string') body.truncate = openAI.truncate;
  const warnings = Object.keys(openAI).filter((name) => !HANDLED.has(name) && openAI[name] !== null);
  return { body, base64: format === 'base64', warnings };
}
