import { type JsonObject, isJsonObject } from '../core/json.ts';
import type { CacheableEndpoint } from './cache-key.ts';

function hasChoices(answer: JsonObject, field: 'message' | 'text'): boolean {
  const { choices } = answer;
  return (
    Array.isArray(choices) &&
    choices.length > 0 &&
    choices.every((choice) => isJsonObject(choice) && (field === 'message' ? isJsonObject(choice.message) : typeof choice.text === 'string'))
  );
}

/**
 * The answer as a JSON object when it is a complete, successful answer of `endpoint`
 * (a chat completion with choices, a text completion, a list of embeddings); undefined for
 * anything else, which is then not cached.
 */
export function readCacheableAnswer(endpoint: CacheableEndpoint, text: string): JsonObject | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isJsonObject(answer) || answer.error !== undefined) return undefined;
  switch (endpoint) {
    case 'chat.completions':
      return hasChoices(answer, 'message') ? answer : undefined;
    case 'completions':
      return hasChoices(answer, 'text') ? answer : undefined;
    case 'embeddings':
      return Array.isArray(answer.data) ? answer : undefined;
  }
}
