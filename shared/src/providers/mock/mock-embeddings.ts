import type { JsonObject, JsonValue } from '../../core/json.ts';
import { bytesToBase64 } from './base64-bytes.ts';
import { jsonAnswer, type MockAnswer } from './mock-answer.ts';
import { integerField, MockInvalidRequest, modelOf } from './mock-request-fields.ts';
import { estimatePromptTokens } from './mock-text-pieces.ts';
import { canonicalJson, seededSequence } from './stable-hash.ts';

const DEFAULT_DIMENSIONS = 8;

function readInputs(input: JsonValue | undefined): JsonValue[] {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input) && input.length > 0) {
    // A flat array of numbers is one tokenised input; anything else is a list of inputs.
    return input.every((item) => typeof item === 'number') ? [input] : input;
  }
  throw new MockInvalidRequest("'input' must be a non-empty string or array.", 'input', 'missing_required_parameter');
}

/** A unit vector derived from the input alone: equal inputs embed equally, every time. */
export function mockEmbedding(input: JsonValue, dimensions: number): number[] {
  const next = seededSequence(canonicalJson(input));
  const raw = Array.from({ length: dimensions }, () => next() * 2 - 1);
  const length = Math.hypot(...raw) || 1;
  // Rounded to float32, as the real API's values are, so float and base64 answers agree.
  return raw.map((value) => Math.fround(value / length));
}

function float32Base64(vector: readonly number[]): string {
  const view = new DataView(new ArrayBuffer(vector.length * 4));
  vector.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytesToBase64(new Uint8Array(view.buffer));
}

function inputCharacters(input: JsonValue): number {
  // Token arrays count four characters a token, so they come back as one "token" each.
  return typeof input === 'string' ? input.length : Array.isArray(input) ? input.length * 4 : 0;
}

/** POST /embeddings: deterministic unit vectors of `dimensions` (8 by default), float or base64. */
export function answerEmbeddings(body: JsonObject): MockAnswer {
  const inputs = readInputs(body.input);
  const dimensions = integerField(body, 'dimensions', { min: 1, max: 4096, fallback: DEFAULT_DIMENSIONS });
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64') {
    throw new MockInvalidRequest("'encoding_format' must be 'float' or 'base64'.", 'encoding_format');
  }
  const data = inputs.map((input, index) => {
    const vector = mockEmbedding(input, dimensions);
    return { object: 'embedding', index, embedding: format === 'base64' ? float32Base64(vector) : vector };
  });
  const tokens = inputs.reduce<number>((sum, input) => sum + estimatePromptTokens(inputCharacters(input)), 0);
  return jsonAnswer({
    object: 'list',
    data,
    model: modelOf(body, 'mock-embedding'),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}
