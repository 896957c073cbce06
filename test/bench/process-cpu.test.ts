import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuPerRequest, readProcessCpu } from '../../bench/process-cpu.ts';

describe('readProcessCpu', () => {
  it.runIf(process.platform === 'linux')('reads the CPU time of a process, its main thread and its children', async () => {
    // A child that burns CPU until it is killed: it shows up under this process's children.
    const child = spawn(process.execPath, ['-e', 'for (;;);'], { stdio: 'ignore' });
    try {
      let reading = readProcessCpu(process.pid);
      for (const deadline = Date.now() + 15_000; reading.childrenMs === 0 && Date.now() < deadline; reading = readProcessCpu(process.pid)) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(reading.childrenMs).toBeGreaterThan(0);
      expect(reading.mainThreadMs).toBeGreaterThan(0);
      expect(reading.processMs).toBeGreaterThanOrEqual(reading.mainThreadMs);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('cpuPerRequest', () => {
  it('adds up the time between each pair of readings and divides by the requests, in microseconds', () => {
    const reading = (ms: number) => ({ mainThreadMs: ms, processMs: 2 * ms, childrenMs: ms / 2 });
    const spans = [
      { before: reading(100), after: reading(110) },
      { before: reading(500), after: reading(530) },
    ];
    expect(cpuPerRequest(spans, 40)).toEqual({ mainThreadUs: 1000, processUs: 2000, childrenUs: 500 });
    expect(cpuPerRequest([], 0).mainThreadUs).toBeNaN();
  });
});
