import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';

export interface StartDynaliteOptions {
  /** Folder for the data (created if missing); absent = in memory, gone when closed. */
  path?: string;
  /** @default '127.0.0.1' */
  host?: string;
  /** 0 picks a free port. @default 0 */
  port?: number;
}

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, the endpoint for a DynamoDB client. */
  endpoint: string;
  /** Stop serving and close the database (flushing it to disk). */
  close(): Promise<void>;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claim `<path>.lock` for this process. LevelDB allows one process per folder, and dynalite
 * does not report a locked folder: its requests just fail. A lock left by a process that no
 * longer runs is taken over.
 */
async function lockFolder(path: string): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(lockPath, `${process.pid}\n`, { flag: 'wx' });
      return () => unlink(lockPath).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner)) {
      throw new Error(`The local database in ${path} is in use by process ${owner}. Stop it, or delete ${lockPath} if no Turnpike is running.`);
    }
    await unlink(lockPath).catch(() => undefined);
  }
  throw new Error(`Could not lock the local database in ${path} (${lockPath}).`);
}

/**
 * Start dynalite, a DynamoDB-compatible server, in this process: the local mode's database.
 * It implements the single-item API the stores use (no transactions, no PartiQL) and never
 * expires TTL items, which the stores' reads handle themselves.
 */
export async function startDynalite(options: StartDynaliteOptions = {}): Promise<LocalDynamo> {
  let unlock = async (): Promise<void> => undefined;
  if (options.path !== undefined) {
    await mkdir(options.path, { recursive: true });
    unlock = await lockFolder(options.path);
  }
  // Loaded on first use: Lambda bundles leave dynalite out (its LevelDB binding has no place
  // there), and code that only imports this module must not load it either.
  const { default: dynalite } = await import('dynalite');
  // Tables go ACTIVE at once instead of after dynalite's default half second.
  const server = dynalite({ ...(options.path === undefined ? {} : { path: options.path }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const host = options.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await unlock();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://${host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of the SDK client would otherwise hold the close open.
        server.closeAllConnections();
      }).finally(unlock);
      return closing;
    },
  };
}
