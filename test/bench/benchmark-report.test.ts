import { describe, expect, it } from 'vitest';
import { type BenchmarkResults, type TargetMeasurement, checkTargets, renderBenchmarkReport, replaceMarkedSection } from '../../bench/benchmark-report.ts';

function measurement(role: TargetMeasurement['role'], p50: number, throughput: number, firstChunk: number): TargetMeasurement {
  return {
    name: role,
    role,
    sequential: { count: 100, p50, p99: p50 * 3 },
    concurrent: { count: 100, p50: p50 * 4, p99: p50 * 8 },
    throughput,
    firstChunk: { count: 30, p50: firstChunk, p99: firstChunk * 2 },
    memory: role === 'direct' ? undefined : { rssBytes: 80 * 1024 * 1024, peakRssBytes: 90 * 1024 * 1024 },
  };
}

function results(turnpike: TargetMeasurement, bundleBytes: number): BenchmarkResults {
  return {
    date: new Date('2026-01-02T03:04:05Z'),
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 24, node: 'v20.0.0', os: 'linux 6' },
    loadAverage: { before: 0.5, after: 2.5 },
    settings: { requests: 1000, streamRequests: 300, rounds: 5, warmUp: 100 },
    portkeyVersion: '1.15.2',
    honoNodeServerVersion: '1.13.5',
    targets: [measurement('direct', 0.1, 9000, 0.2), turnpike, measurement('portkey', 1.5, 500, 30)],
    gatewayBundle: { bytes: bundleBytes },
  };
}

describe('checkTargets', () => {
  it('meets every target when Turnpike is within all four goals', () => {
    const checks = checkTargets(results(measurement('turnpike', 0.35, 1200, 0.9), 100 * 1024));
    expect(checks.map((check) => check.met)).toEqual([true, true, true, true]);
    expect(checks[1]?.measured).toBe('2.40× (1,200 req/s vs 500 req/s)');
  });

  it('misses each target that is over its goal', () => {
    const checks = checkTargets(results(measurement('turnpike', 0.5, 900, 1.5), 151 * 1024));
    expect(checks.map((check) => check.met)).toEqual([false, false, false, false]);
    expect(checks[0]?.measured).toBe('+0.40 ms');
  });

  it('says a target is not measured when Turnpike is missing', () => {
    const run = results(measurement('turnpike', 0.2, 1, 1), 1);
    run.targets = run.targets.filter((target) => target.role !== 'turnpike');
    run.gatewayBundle = { error: 'Could not resolve x' };
    expect(checkTargets(run).map((check) => check.met)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('renderBenchmarkReport', () => {
  it('names the command, the machine and every target, and the added latency over direct', () => {
    const report = renderBenchmarkReport(results(measurement('turnpike', 0.35, 1200, 0.9), 100 * 1024));
    expect(report).toContain('Measured 2026-01-02 with `npm run bench` on 2 cores (Test CPU)');
    expect(report).toContain('Node.js v20.0.0');
    expect(report).toContain('Load average 0.50 before the run and 2.50 after.');
    expect(report).toContain('| turnpike | 0.35 ms | 1.05 ms | 1.40 ms | 2.80 ms | 1,200 req/s | 0.90 ms | 1.80 ms | 80 MB | 90 MB |');
    expect(report).toContain('| turnpike | +0.25 ms | +0.75 ms | +1.00 ms | +2.00 ms | +0.70 ms |');
    expect(report).toContain('| Gateway bundle, minified, AWS SDK external | ≤ 150 KB | 100.0 KB (102,400 bytes) | yes |');
  });
});

describe('response cache figures', () => {
  const cache = { hit: { count: 100, p50: 0.9, p99: 2.5 }, uncached: { count: 100, p50: 0.5, p99: 1 }, miss: { count: 100, p50: 0.8, p99: 1.6 } };

  it('reports hit latency, its difference from the direct call and what a miss adds', () => {
    const run = { ...results(measurement('turnpike', 0.35, 1200, 0.9), 100 * 1024), cache };
    const report = renderBenchmarkReport(run);
    expect(report).toContain('| Hit: answered from the cache | 0.90 ms | 2.50 ms |');
    expect(report).toContain('| Hit, compared with calling the upstream directly | +0.80 ms | +2.20 ms |');
    expect(report).toContain('| Added by consulting the cache on a miss | +0.30 ms | +0.60 ms |');
    expect(checkTargets(run).at(-1)).toEqual({ target: 'Cache hit answered, p50, local server', goal: '≤ 2 ms', measured: '0.90 ms', met: true });
  });
});

describe('replaceMarkedSection', () => {
  it('replaces only what lies between the markers', () => {
    const document = 'intro\n<!-- bench:start -->\nold\n<!-- bench:end -->\noutro\n';
    expect(replaceMarkedSection(document, 'new table\n')).toBe('intro\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\noutro\n');
  });

  it('appends a marked section to a document without markers', () => {
    expect(replaceMarkedSection('# Benchmarks\n', 'table')).toBe('# Benchmarks\n\n<!-- bench:start -->\ntable\n<!-- bench:end -->\n');
  });
});
