import { describe, expect, it } from 'vitest';
import { RollupAccumulator, percentile } from '../../../shared/src/analytics/rollup-accumulator.ts';
import type { LogFacts } from '../../../shared/src/analytics/read-log-facts.ts';

const facts = (latencyMs: number, extra: Partial<LogFacts> = {}): LogFacts => ({
  workspaceId: undefined,
  apiKeyId: undefined,
  provider: 'openai',
  model: 'gpt-4o',
  error: false,
  cacheHit: false,
  latencyMs,
  promptTokens: 10,
  completionTokens: 5,
  cachedTokens: 0,
  cost: 0.1,
  ...extra,
});

describe('percentile', () => {
  it('is the nearest rank: the smallest value with p% at or below it', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99)]).toEqual([50, 90, 99]);
    expect([percentile([7], 50), percentile([7], 99)]).toEqual([7, 7]);
    expect([percentile([10, 20, 30, 40], 50), percentile([10, 20, 30, 40], 90)]).toEqual([20, 40]);
    expect(percentile([], 50)).toBe(0);
  });
});

describe('RollupAccumulator', () => {
  it('sums the counts and takes exact percentiles of the raw latencies', () => {
    const accumulator = new RollupAccumulator();
    for (const latency of [300, 100, 200]) accumulator.add(facts(latency));
    accumulator.add(facts(1000, { error: true, cacheHit: true, cachedTokens: 4, cost: 0.2 }));
    expect(accumulator.metrics()).toEqual({
      requests: 4,
      errors: 1,
      promptTokens: 40,
      completionTokens: 20,
      cachedTokens: 4,
      cost: 0.5,
      cacheHits: 1,
      latencySumMs: 1600,
      latencyP50Ms: 200,
      latencyP90Ms: 1000,
      latencyP99Ms: 1000,
    });
  });
});
