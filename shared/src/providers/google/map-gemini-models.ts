import { isJsonObject, type JsonValue } from '../../core/json.ts';

interface OpenAIModel {
  id: string;
  object: 'model';
  created: number;
  owned_by: string;
}

/**
 * Gemini's `GET /models` answer ({models: [{name: "models/gemini-2.5-flash", ...}]}) as OpenAI's
 * model list. Gemini gives no creation time, so `created` is 0.
 */
export function mapGeminiModels(answer: JsonValue): { object: 'list'; data: OpenAIModel[] } {
  const models = isJsonObject(answer) && Array.isArray(answer.models) ? answer.models : [];
  const data: OpenAIModel[] = [];
  for (const model of models) {
    if (!isJsonObject(model) || typeof model.name !== 'string') continue;
    const id = model.name.startsWith('models/') ? model.name.slice('models/'.length) : model.name;
    data.push({ id, object: 'model', created: 0, owned_by: 'google' });
  }
  return { object: 'list', data };
}
