import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { LocalDynamo } from './start-dynalite.ts';

export interface StartDynaliteProcessOptions {
  /** Folder for the data (created if missing); absent = in memory, gone when closed. */
  path?: string;
  /** @default 30 s */
  startTimeoutMs?: number;
  /** How long `close()` waits for the database to flush and exit before it kills it. @default 10 s */
  closeTimeoutMs?: number;
}

/** dynalite in a process of its own. */
export interface LocalDynamoProcess extends LocalDynamo {
  pid: number;
}

type DatabaseChild = ChildProcessByStdio<Writable, Readable, Readable>;

const STDERR_TAIL_CHARS = 4_000;

function hasExited(child: DatabaseChild): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves with the endpoint the child prints once it listens; rejects with what it said if it exits or stalls first. */
function waitForEndpoint(child: DatabaseChild, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let stdout = '';
    const finish = (error: Error | undefined, endpoint?: string): void => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error !== undefined) reject(error);
      else resolve(endpoint ?? '');
    };
    const failure = (reason: string): Error => {
      const said = stderr().trim();
      return new Error(`The local database process ${reason}${said === '' ? '.' : `: ${said}`}`);
    };
    const onData = (chunk: Buffer): void => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline === -1) return;
      try {
        const { endpoint } = JSON.parse(stdout.slice(0, newline)) as { endpoint?: unknown };
        if (typeof endpoint !== 'string' || !endpoint.startsWith('http://127.0.0.1:')) throw new Error(`unexpected endpoint ${String(endpoint)}`);
        finish(undefined, endpoint);
      } catch (error) {
        child.kill('SIGKILL');
        finish(failure(`said something unexpected (${(error as Error).message})`));
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      // stderr may still be draining: give it a turn so the reason makes it into the message.
      setImmediate(() => finish(failure(`exited before it was ready (code ${code}, signal ${signal})`)));
    };
    const onError = (error: Error): void => finish(failure(`could not start (${error.message})`));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(failure(`was not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Waits for the child to exit, killing it after `timeoutMs`; says whether it had to. */
function waitForExit(child: DatabaseChild, timeoutMs: number): Promise<{ killed: boolean }> {
  if (hasExited(child)) return Promise.resolve({ killed: false });
  return new Promise((resolve) => {
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve({ killed });
    });
  });
}

/**
 * Start dynalite (see startDynalite) in a child process: the local gateway's database then
 * parses, validates and stores on the machine's other cores instead of the thread that answers
 * requests. The child listens on 127.0.0.1 only, takes the data folder's lock itself, and
 * closes the database when `close()` is called or when this process goes away however it
 * goes (it watches a pipe from this process). It sits in a process group of its own, so a
 * terminal's Ctrl-C reaches only the gateway, which then closes it in order. It runs
 * TypeScript through tsx, which local mode needs anyway; this process's own flags (a CPU
 * profile, a debugger) are not passed on.
 */
export async function startDynaliteProcess(options: StartDynaliteProcessOptions = {}): Promise<LocalDynamoProcess> {
  const entry = fileURLToPath(new URL('./dynalite-process-main.ts', import.meta.url));
  const child: DatabaseChild = spawn(
    process.execPath,
    ['--import', import.meta.resolve('tsx'), entry, JSON.stringify(options.path === undefined ? {} : { path: options.path })],
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
  });
  const endpoint = await waitForEndpoint(child, options.startTimeoutMs ?? 30_000, () => stderr);
  const pid = child.pid;
  if (pid === undefined) throw new Error('The local database process has no process id.');
  // Once it runs, the database does not keep this process alive; this process ending ends it.
  child.stdout.resume();
  child.unref();
  for (const pipe of [child.stdin, child.stdout, child.stderr]) (pipe as Partial<{ unref(): void }>).unref?.();
  let closing: Promise<void> | undefined;
  child.once('exit', (code, signal) => {
    // Every store call fails from now on; say why once, where the person running the gateway looks.
    if (closing === undefined) console.error(`turnpike: the local database process exited unexpectedly (code ${code}, signal ${signal}). ${stderr.trim()}`);
  });
  return {
    endpoint,
    pid,
    close() {
      closing ??= (async () => {
        // Wait for the flush to disk even if nothing else keeps this process running.
        child.ref();
        child.stdin.end();
        const closeTimeoutMs = options.closeTimeoutMs ?? 10_000;
        const { killed } = await waitForExit(child, closeTimeoutMs);
        if (killed) throw new Error(`The local database process did not close within ${closeTimeoutMs} ms and was killed.`);
        if (child.exitCode !== 0) throw new Error(`The local database process exited with code ${child.exitCode}, signal ${child.signalCode}: ${stderr.trim()}`);
      })();
      return closing;
    },
  };
}
