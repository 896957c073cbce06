import { describe, expect, it } from 'vitest';
import { type BenchmarkResults, checkTargets, renderBenchmarkReport } from '../../bench/benchmark-report.ts';

const figures = (p50: number) => ({ count: 100, p50, p99: p50 * 3 });
const run: BenchmarkResults = {
  date: new Date('2026-01-02T03:04:05Z'),
  machine: { cpus: 2, cpuModel: 'Test CPU', memoryGiB: 24, node: 'v20.0.0', os: 'linux 6' },
  loadAverage: { before: 0.5, after: 0.5 },
  settings: { requests: 1000, streamRequests: 300, rounds: 5, warmUp: 100 },
  portkeyVersion: '1.15.2',
  honoNodeServerVersion: '1.13.5',
  targets: [],
  gatewayBundle: { bytes: 1 },
  requestLogging: { on: figures(1.1), off: figures(1) },
};

describe('stored request log figures', () => {
  it('reports both servers and what the log adds, checked against its target', () => {
    const report = renderBenchmarkReport(run);
    expect(report).toContain('| Logs on: each request written to the Logs table after its response | 1.10 ms | 3.30 ms |');
    expect(report).toContain('| Logs off (TURNPIKE_STORE_REQUEST_LOGS=false) | 1.00 ms | 3.00 ms |');
    expect(report).toContain('| Added by the request log | +0.10 ms | +0.30 ms |');
    expect(checkTargets(run).at(-1)).toEqual({ target: 'Added by the stored request log, p50, concurrency 1, local server', goal: '≤ 0.2 ms', measured: '+0.10 ms', met: true });
  });

  it('adds the CPU time per request of each server when it was read, and leaves the table out when not', () => {
    const withCpu: BenchmarkResults = {
      ...run,
      requestLogging: {
        on: figures(1.1),
        off: figures(1),
        cpu: { on: { mainThreadUs: 1234.4, processUs: 1500, childrenUs: 300 }, off: { mainThreadUs: 1000, processUs: 1300.6, childrenUs: 40 } },
      },
    };
    const report = renderBenchmarkReport(withCpu);
    expect(report).toContain('| CPU time per request (Turnpike, concurrency 1) | Gateway main thread | Gateway process | Its child processes (dynalite) |');
    expect(report).toContain('| Logs on | 1,234 µs | 1,500 µs | 300 µs |');
    expect(report).toContain('| Logs off | 1,000 µs | 1,301 µs | 40 µs |');
    expect(report).toContain('| Added by the request log | +234 µs | +199 µs | +260 µs |');
    expect(renderBenchmarkReport(run)).not.toContain('CPU time per request');
  });
});
