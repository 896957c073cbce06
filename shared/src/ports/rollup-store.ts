/** The length of a rollup window. */
export type RollupGranularity = 'hour' | 'day';

/**
 * What a rollup row groups by. `all` is the whole deployment; `cell` is the combination of
 * workspace, key, provider and model (counts of cells add up to any coarser view; latency
 * percentiles do not, which is why the single dimensions are stored too).
 */
export type RollupDimension = 'all' | 'workspace' | 'api-key' | 'provider' | 'model' | 'cell';

/** The figures of one group in one window. Latencies are exact, from the raw request latencies. */
export interface RollupMetrics {
  requests: number;
  /** Requests answered with status ≥ 400 or a stream that ended in an error. */
  errors: number;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  cost: number;
  /** Answers served from the gateway's cache (HIT or SEMANTIC HIT). */
  cacheHits: number;
  /** Sum of the latencies, for averages over several rows. */
  latencySumMs: number;
  latencyP50Ms: number;
  latencyP90Ms: number;
  latencyP99Ms: number;
}

/** One group in one window. */
export interface RollupRow {
  granularity: RollupGranularity;
  /** Window start, epoch milliseconds (UTC hour or day boundary). */
  windowStart: number;
  dimension: RollupDimension;
  /** The group's value: a workspace id, a model, ...; `*` for `all`; a JSON array of four strings for `cell`. */
  key: string;
  metrics: RollupMetrics;
}

export interface RollupWriteOptions {
  /** When the run that computed the row started (epoch ms): an older computation never overwrites a newer one. */
  computedAt: number;
  /** Epoch seconds. */
  expiresAt: number;
}

/**
 * Rollups of the request logs, in the Counters table. Rows are absolute figures a run
 * computed from the raw logs, written over whatever was there (never added to), so a rerun
 * over the same window leaves the same numbers. A checkpoint records how far runs have got.
 */
export interface RollupStore {
  put(row: RollupRow, options: RollupWriteOptions): Promise<void>;
  /** Every live row of one dimension in one window, in key order. */
  list(granularity: RollupGranularity, windowStart: number, dimension: RollupDimension): Promise<RollupRow[]>;
  /** Epoch milliseconds the named checkpoint has reached, or undefined before the first run. */
  readCheckpoint(name: string): Promise<number | undefined>;
  /** Move the checkpoint forward to `to`; never back. False when it was already at or past `to`. */
  advanceCheckpoint(name: string, to: number): Promise<boolean>;
}
