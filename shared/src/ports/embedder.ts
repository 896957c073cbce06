/**
 * Turns texts into vectors for the semantic cache. Vectors of one embedder are comparable
 * with each other only, so `id` names the model and its settings: the cache files vectors
 * under it and never compares vectors of two embedders.
 */
export interface Embedder {
  /** Stable name of the model and its settings, such as `titan-v2-512` or `ngram-3-512`. */
  readonly id: string;
  /** One vector per text, in order. Rejects when the embedding service fails. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}
