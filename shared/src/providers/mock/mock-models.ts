import type { JsonObject } from '../../core/json.ts';
import { jsonAnswer, openAIErrorAnswer, type MockAnswer } from './mock-answer.ts';

/** The models the mock provider "serves", one per kind of endpoint. */
export const MOCK_MODEL_IDS: readonly string[] = ['mock-model', 'mock-embedding', 'mock-image', 'mock-tts', 'mock-whisper'];

function modelObject(id: string): JsonObject {
  // A fixed date (2025-01-01) rather than the clock: a model's creation does not move.
  return { id, object: 'model', created: 1_735_689_600, owned_by: 'turnpike' };
}

/** GET /models: the mock's model list. */
export function answerModelList(): MockAnswer {
  return jsonAnswer({ object: 'list', data: MOCK_MODEL_IDS.map(modelObject) });
}

/** GET /models/{id}: one model, or 404 as OpenAI answers for a model it does not have. */
export function answerModel(id: string): MockAnswer {
  if (MOCK_MODEL_IDS.includes(id)) return jsonAnswer(modelObject(id));
  return openAIErrorAnswer(404, `The model '${id}' does not exist.`, { code: 'model_not_found', param: 'model' });
}
