import { isJsonObject, type JsonObject, type JsonValue } from '../../core/json.ts';

/**
 * Anthropic's model list (`GET /v1/models`: `{data: [{type: 'model', id, display_name,
 * created_at}], has_more, ...}`, https://docs.anthropic.com/en/api/models-list) in OpenAI's
 * `{object: 'list', data: [{id, object: 'model', created, owned_by}]}` form.
 */
export function mapAnthropicModels(native: JsonValue): JsonObject {
  const entries = isJsonObject(native) && Array.isArray(native.data) ? native.data : [];
  const data: JsonObject[] = [];
  for (const entry of entries) {
    if (!isJsonObject(entry) || typeof entry.id !== 'string') continue;
    const createdAt = typeof entry.created_at === 'string' ? Date.parse(entry.created_at) : Number.NaN;
    data.push({
      id: entry.id,
      object: 'model',
      created: Number.isNaN(createdAt) ? 0 : Math.floor(createdAt / 1000),
      owned_by: 'anthropic',
    });
  }
  return { object: 'list', data };
}
