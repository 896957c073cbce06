import type { RollupMetrics } from '../ports/rollup-store.ts';
import type { LogFacts } from './read-log-facts.ts';

/**
 * The exact `p`-th percentile (nearest rank) of ascending `sorted` values: the smallest value
 * with at least p% of the values at or below it. 0 for no values.
 *
 * @example percentile([10, 20, 30, 40], 50) // → 20
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** Sums and raw latencies of one group, turned into RollupMetrics at the end. */
export class RollupAccumulator {
  #requests = 0;
  #errors = 0;
  #promptTokens = 0;
  #completionTokens = 0;
  #cachedTokens = 0;
  #cost = 0;
  #cacheHits = 0;
  #latencies: number[] = [];

  add(facts: LogFacts): void {
    this.#requests++;
    if (facts.error) this.#errors++;
    if (facts.cacheHit) this.#cacheHits++;
    this.#promptTokens += facts.promptTokens;
    this.#completionTokens += facts.completionTokens;
    this.#cachedTokens += facts.cachedTokens;
    this.#cost += facts.cost;
    this.#latencies.push(facts.latencyMs);
  }

  metrics(): RollupMetrics {
    const sorted = [...this.#latencies].sort((a, b) => a - b);
    return {
      requests: this.#requests,
      errors: this.#errors,
      promptTokens: this.#promptTokens,
      completionTokens: this.#completionTokens,
      cachedTokens: this.#cachedTokens,
      // Costs are fractions of a cent: round away the float noise of long sums.
      cost: Math.round(this.#cost * 1e9) / 1e9,
      cacheHits: this.#cacheHits,
      latencySumMs: sorted.reduce((sum, value) => sum + value, 0),
      latencyP50Ms: percentile(sorted, 50),
      latencyP90Ms: percentile(sorted, 90),
      latencyP99Ms: percentile(sorted, 99),
    };
  }
}
