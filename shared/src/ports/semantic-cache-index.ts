/**
 * One locality-sensitive-hash bucket of the semantic cache. Entries only ever match
 * requests of the same workspace, model and non-message parameters.
 */
export interface SemanticBucket {
  workspaceId: string;
  model: string;
  /** Hash of the request's parameters other than its messages. */
  parametersHash: string;
  /** The LSH bucket of the embedding (one of several hash tables, e.g. `t3:0b1101…`). */
  bucket: string;
}

export interface SemanticIndexEntry {
  /** The exact-match cache key of the stored response this entry points to. */
  cacheKey: string;
  embedding: Float32Array;
  /** Epoch seconds. */
  expiresAt: number;
}

/** The semantic cache's index: embeddings filed under their LSH buckets. */
export interface SemanticCacheIndex {
  /** File an entry under a bucket (replacing an entry with the same cache key there). */
  add(bucket: SemanticBucket, entry: SemanticIndexEntry): Promise<void>;
  /** Live entries of a bucket, at most `limit` (default 50). */
  entries(bucket: SemanticBucket, limit?: number): Promise<SemanticIndexEntry[]>;
}
