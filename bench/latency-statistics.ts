/** The value below which `fraction` of the samples lie (nearest rank on the sorted samples). */
export function percentile(samples: readonly number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil(fraction * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
}

/** Median and 99th percentile of a set of latencies. */
export function summarizeLatencies(samples: readonly number[]): LatencySummary {
  return { count: samples.length, p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) };
}
