import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface ServerProcessOptions {
  /** Shown in errors and the report. */
  name: string;
  command: string;
  args: readonly string[];
  cwd: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Matches the output line that says the server is ready; group 1, if any, is its base URL. */
  readyPattern: RegExp;
  /** Used when `readyPattern` has no group. */
  url?: string;
  /** @default 60 s */
  startTimeoutMs?: number;
}

export interface ServerProcess {
  name: string;
  pid: number;
  url: string;
  /** Everything the process printed so far, for error messages. */
  output(): string;
  /** Resident and peak resident memory of the process now, in bytes (Linux /proc). */
  memory(): Promise<ProcessMemory>;
  stop(): Promise<void>;
}

export interface ProcessMemory {
  rssBytes: number;
  peakRssBytes: number;
}

/** Spawn a server and wait until it prints its ready line; rejects with its output if it dies first. */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    // A pipe the child may watch: it closes when this process dies, however it dies.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (part: Buffer): void => {
    // Keep the tail only: a chatty server must not grow the benchmark's own memory.
    output = (output + part.toString('utf8')).slice(-16_384);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const url = await waitUntilReady(child, options, () => output);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.name} has no process id`);
  return {
    name: options.name,
    pid,
    url,
    output: () => output,
    memory: () => readProcessMemory(pid),
    stop: () => stopChild(child),
  };
}

function waitUntilReady(child: ChildProcess, options: ServerProcessOptions, output: () => string): Promise<string> {
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  return new Promise<string>((resolve, reject) => {
    const fail = (reason: string): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${options.name} ${reason}. Its output:\n${output()}`));
    };
    const onData = (): void => {
      const match = options.readyPattern.exec(output());
      if (match === null) return;
      const url = match[1] ?? options.url;
      cleanup();
      if (url === undefined) reject(new Error(`${options.name}: ready line has no URL and none was given`));
      else resolve(url.replace(/\/$/, ''));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`exited before it was ready (code ${code}, signal ${signal})`);
    const onError = (error: Error): void => fail(`could not start: ${error.message}`);
    const timer = setTimeout(() => fail(`was not ready after ${timeoutMs} ms`), timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kilobytes = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (match?.[1] === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  return { rssBytes: kilobytes('VmRSS'), peakRssBytes: kilobytes('VmHWM') };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
