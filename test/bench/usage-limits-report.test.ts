import { describe, expect, it } from 'vitest';
import { type BenchmarkResults, checkTargets, renderBenchmarkReport } from '../../bench/benchmark-report.ts';

const figures = (p50: number) => ({ count: 100, p50, p99: p50 * 3 });
const run = (onP50: number): BenchmarkResults => ({
  date: new Date('2026-01-02T03:04:05Z'),
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 24, node: 'v20.0.0', os: 'linux 6' },
  loadAverage: { before: 0.5, after: 0.5 },
  settings: { requests: 1000, streamRequests: 300, rounds: 5, warmUp: 100 },
  portkeyVersion: '1.15.2',
  honoNodeServerVersion: '1.13.5',
  targets: [],
  gatewayBundle: { bytes: 1 },
  usageLimits: { on: figures(onP50), off: figures(1) },
});

describe('budgets and rate limits figures', () => {
  it('reports both keys and what the limits add, checked against the 2 ms target', () => {
    const report = renderBenchmarkReport(run(1.75));
    expect(report).toContain('| Key without limits, same server | 1.00 ms | 3.00 ms |');
    expect(report).toContain('| Added by budgets and rate limits | +0.75 ms | +2.25 ms |');
    expect(checkTargets(run(1.75)).at(-1)).toEqual({ target: 'Added by budgets and rate limits, p50, concurrency 1, local server', goal: '≤ 2 ms', measured: '+0.75 ms', met: true });
    expect(checkTargets(run(3.5)).at(-1)?.met).toBe(false);
  });
});
