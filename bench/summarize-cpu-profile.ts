import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) this summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  name: string;
  selfMs: number;
  share: number;
}

/**
 * Self time of a profile, grouped by function and by file, largest first. Inclusive time
 * is left out on purpose: async code makes call trees shallow, and self time by file
 * already says which layer (HTTP server, fetch, the engine, zod) the CPU goes to.
 */
export function summarizeCpuProfile(profile: CpuProfile): { byFunction: HotSpot[]; byFile: HotSpot[]; totalMs: number } {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let totalMicroseconds = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined) return;
    totalMicroseconds += micros;
    const file = shortFile(frame.url) || `(${frame.functionName || 'native'})`;
    const name = `${frame.functionName || '(anonymous)'} ${file}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
  });
  const rank = (totals: Map<string, number>): HotSpot[] =>
    [...totals]
      .map(([name, micros]) => ({ name, selfMs: micros / 1000, share: totalMicroseconds === 0 ? 0 : micros / totalMicroseconds }))
      .sort((left, right) => right.selfMs - left.selfMs);
  return { byFunction: rank(byFunction), byFile: rank(byFile), totalMs: totalMicroseconds / 1000 };
}

function shortFile(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|shared|local|lambdas)\//, '$1/');
}

function printTop(title: string, spots: readonly HotSpot[], count: number): void {
  console.log(`\n${title}`);
  for (const spot of spots.slice(0, count)) {
    console.log(`${spot.selfMs.toFixed(0).padStart(8)} ms ${(spot.share * 100).toFixed(1).padStart(5)}%  ${spot.name}`);
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  // Usage: tsx bench/summarize-cpu-profile.ts <file.cpuprofile> [top N]
  const [path, top] = process.argv.slice(2);
  if (path === undefined) {
    console.error('usage: tsx bench/summarize-cpu-profile.ts <file.cpuprofile> [count]');
    process.exit(2);
  }
  const summary = summarizeCpuProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile);
  console.log(`total sampled: ${summary.totalMs.toFixed(0)} ms`);
  printTop('self time by file', summary.byFile, Number(top ?? 25));
  printTop('self time by function', summary.byFunction, Number(top ?? 25));
}
