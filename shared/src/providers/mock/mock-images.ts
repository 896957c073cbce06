import type { JsonObject } from '../../core/json.ts';
import { bytesToBase64 } from './base64-bytes.ts';
import { jsonAnswer, type MockAnswer } from './mock-answer.ts';
import { integerField, MockInvalidRequest, type MockEndpointContext } from './mock-request-fields.ts';
import { estimatePromptTokens } from './mock-text-pieces.ts';
import { encodeSolidPng } from './png-image.ts';
import { stableHash } from './stable-hash.ts';

/** Small enough to keep answers tiny, big enough to see the colour. */
const IMAGE_SIZE = 8;

/** The colour of image `index` for a prompt, from a hash: different prompts, different colours. */
function colourOf(prompt: string, index: number): [number, number, number] {
  const hash = stableHash(`${prompt}\n${index}`);
  return [0, 2, 4].map((offset) => Number.parseInt(hash.slice(offset, offset + 2), 16)) as [number, number, number];
}

/**
 * POST /images/generations: `n` tiny one-colour PNGs, as `b64_json` or as `data:` URLs for the
 * `url` format (the default, as for dall-e), whatever `size` was asked for.
 */
export function answerImageGeneration(body: JsonObject, context: MockEndpointContext): MockAnswer {
  const prompt = body.prompt;
  if (typeof prompt !== 'string' || prompt === '') {
    throw new MockInvalidRequest("'prompt' must be a non-empty string.", 'prompt', 'missing_required_parameter');
  }
  const count = integerField(body, 'n', { min: 1, max: 10, fallback: 1 });
  const format = body.response_format ?? 'url';
  if (format !== 'url' && format !== 'b64_json') {
    throw new MockInvalidRequest("'response_format' must be 'url' or 'b64_json'.", 'response_format');
  }
  const data = Array.from({ length: count }, (_, index): JsonObject => {
    const base64 = bytesToBase64(encodeSolidPng(IMAGE_SIZE, colourOf(prompt, index)));
    const image: JsonObject = format === 'b64_json' ? { b64_json: base64 } : { url: `data:image/png;base64,${base64}` };
    return { ...image, revised_prompt: `A mock image for: ${prompt}` };
  });
  const inputTokens = estimatePromptTokens(prompt.length);
  return jsonAnswer({
    created: context.createdSeconds,
    data,
    // gpt-image models report tokens; one output token an image keeps the mock's count honest and tiny.
    usage: { input_tokens: inputTokens, output_tokens: count, total_tokens: inputTokens + count },
  });
}
