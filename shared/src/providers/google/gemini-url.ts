import { BadRequestError } from '../../core/gateway-error.ts';
import type { ResolvedTarget } from '../provider-model.ts';

export const GEMINI_API_BASE = 'https://generativelanguage.googleapis.com/v1beta';

// Model ids are letters, digits, '.', '-' and '_' (gemini-2.5-flash, text-embedding-004); tuned
// models live under tunedModels/. Checking the shape keeps a crafted model name from
// changing the URL's path or query.
const MODEL_ID = /^[A-Za-z0-9][\w.-]{0,127}$/;
const TUNED_MODEL = /^tunedModels\/[A-Za-z0-9][\w.-]{0,127}$/;

/** The API root for this target: custom_host when set (it replaces the whole base), else Google's. */
export function geminiApiBase(target: ResolvedTarget): string {
  return (target.customHost ?? GEMINI_API_BASE).replace(/\/+$/, '');
}

/**
 * The resource path of a model, `models/<id>` or `tunedModels/<id>`. Callers may name the model
 * with or without the `models/` prefix.
 */
export function geminiModelResource(model: unknown): string {
  if (typeof model !== 'string' || model === '') {
    throw new BadRequestError('The request needs a model, such as gemini-2.5-flash.', 'missing_model', 'model');
  }
  if (TUNED_MODEL.test(model)) return model;
  const id = model.startsWith('models/') ? model.slice('models/'.length) : model;
  if (!MODEL_ID.test(id)) {
    throw new BadRequestError(`"${model}" is not a Gemini model name.`, 'invalid_model', 'model');
  }
  return `models/${id}`;
}

/** `<base>/models/<id>:<method>`, with `?alt=sse` for streamed calls. */
export function geminiModelUrl(target: ResolvedTarget, model: unknown, method: string, stream = false): string {
  return `${geminiApiBase(target)}/${geminiModelResource(model)}:${method}${stream ? '?alt=sse' : ''}`;
}
