import { describe, expect, it } from 'vitest';
import { type CpuProfile, summarizeCpuProfile } from '../../bench/summarize-cpu-profile.ts';

const frame = (functionName: string, url: string) => ({ functionName, url, lineNumber: 9 });

describe('summarizeCpuProfile', () => {
  it('adds up self time per function and per file, largest first', () => {
    const profile: CpuProfile = {
      nodes: [
        { id: 1, callFrame: frame('(root)', ''), children: [2, 3] },
        { id: 2, callFrame: frame('handle', 'file:///repo/shared/src/engine/gateway-engine.ts') },
        { id: 3, callFrame: frame('fetch', 'node:internal/deps/undici/undici') },
        { id: 4, callFrame: frame('prepare', 'file:///repo/shared/src/engine/gateway-engine.ts') },
      ],
      samples: [2, 3, 3, 4, 1],
      timeDeltas: [1000, 2000, 2000, 500, 500],
    };
    const summary = summarizeCpuProfile(profile);
    expect(summary.totalMs).toBe(6);
    expect(summary.byFile.map((spot) => [spot.name, spot.selfMs])).toEqual([
      ['node:internal/deps/undici/undici', 4],
      ['shared/src/engine/gateway-engine.ts', 1.5],
      ['((root))', 0.5],
    ]);
    expect(summary.byFunction[0]).toEqual({ name: 'fetch node:internal/deps/undici/undici:10', selfMs: 4, share: 4 / 6 });
  });
});
