/**
 * The API operations the gateway understands. `passthrough` is any other `/v1/*` call,
 * forwarded to the chosen provider as it came.
 */
export type Endpoint =
  | 'chat.completions'
  | 'completions'
  | 'embeddings'
  | 'images.generations'
  | 'audio.speech'
  | 'audio.transcriptions'
  | 'audio.translations'
  | 'models.list'
  /** Anthropic's Messages API: served natively by anthropic, through the chat form by the rest. */
  | 'messages'
  | 'passthrough';

/** Endpoints whose request body is JSON that the gateway reads (model, stream, override_params). */
export const JSON_BODY_ENDPOINTS: ReadonlySet<Endpoint> = new Set([
  'chat.completions',
  'completions',
  'embeddings',
  'images.generations',
  'audio.speech',
  'messages',
]);

/** Endpoints that may answer with an SSE stream when the body says `stream: true`. */
export const STREAMABLE_ENDPOINTS: ReadonlySet<Endpoint> = new Set(['chat.completions', 'completions', 'messages']);
