import { readFileSync, readdirSync } from 'node:fs';

/** CPU time a server process has used so far, in milliseconds (Linux /proc). */
export interface ProcessCpu {
  /** The thread that runs JavaScript: what a request waits for. */
  mainThreadMs: number;
  /** Every thread of the process (libuv's pool, the garbage collector's helpers). */
  processMs: number;
  /** The processes it started, and theirs (the local database). */
  childrenMs: number;
}

// USER_HZ: the unit of the /proc CPU times, 100 on Linux for every common architecture.
const TICKS_PER_SECOND = 100;

/** utime + stime of a /proc `stat` file, in milliseconds. */
function cpuOfStat(path: string): number {
  const text = readFileSync(path, 'utf8');
  // The command name (field 2) may hold spaces; the fields after it do not.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / TICKS_PER_SECOND;
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    const listed = readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8').trim();
    if (listed !== '') children.push(...listed.split(' ').map(Number));
  }
  return children;
}

/** The CPU time of `pid`, its main thread and its descendants; a child that exits meanwhile is left out. */
export function readProcessCpu(pid: number): ProcessCpu {
  let childrenMs = 0;
  const pending = childrenOf(pid);
  for (let child = pending.pop(); child !== undefined; child = pending.pop()) {
    try {
      childrenMs += cpuOfStat(`/proc/${child}/stat`);
      pending.push(...childrenOf(child));
    } catch {
      // It exited between the listing and the read.
    }
  }
  return { mainThreadMs: cpuOfStat(`/proc/${pid}/task/${pid}/stat`), processMs: cpuOfStat(`/proc/${pid}/stat`), childrenMs };
}

/** CPU time per request, in microseconds. */
export interface CpuPerRequest {
  mainThreadUs: number;
  processUs: number;
  childrenUs: number;
}

/** Add up the CPU time used between pairs of readings, per request. */
export function cpuPerRequest(spans: readonly { before: ProcessCpu; after: ProcessCpu }[], requests: number): CpuPerRequest {
  const used = (field: keyof ProcessCpu): number => spans.reduce((sum, { before, after }) => sum + after[field] - before[field], 0);
  const perRequest = (field: keyof ProcessCpu): number => (requests === 0 ? Number.NaN : (used(field) * 1000) / requests);
  return { mainThreadUs: perRequest('mainThreadMs'), processUs: perRequest('processMs'), childrenUs: perRequest('childrenMs') };
}
