import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findFreePort } from './find-free-port.ts';
import { type ServerProcess, startServerProcess } from './server-process.ts';

const run = promisify(execFile);

const PACKAGE = '@portkey-ai/gateway';
// Later @hono/node-server releases break the gateway's streamed responses.
export const HONO_NODE_SERVER_VERSION = '1.13.5';
const CACHE_PREFIX = 'turnpike-bench-portkey-';

export interface PortkeyInstall {
  version: string;
  folder: string;
}

/**
 * Install Portkey's open-source gateway (latest 1.x, or `BENCH_PORTKEY_VERSION`) from the npm
 * registry into a folder under the OS temp dir, outside the repo, reusing an earlier install.
 */
export async function installPortkeyGateway(log: (line: string) => void): Promise<PortkeyInstall> {
  const version = process.env.BENCH_PORTKEY_VERSION ?? (await latestVersion(log));
  const folder = join(tmpdir(), `${CACHE_PREFIX}${version}`);
  if (isInstalled(folder, version)) {
    log(`Portkey gateway ${version}: reusing ${folder}`);
    return { version, folder };
  }
  log(`Portkey gateway ${version}: installing into ${folder}`);
  // Install beside the cache folder and move it in whole, so an interrupted install is never reused.
  const staging = await mkdtemp(join(tmpdir(), `${CACHE_PREFIX}staging-`));
  try {
    const manifest = {
      name: 'turnpike-bench-portkey',
      private: true,
      dependencies: { [PACKAGE]: version },
      overrides: { '@hono/node-server': HONO_NODE_SERVER_VERSION },
    };
    await writeFile(join(staging, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, maxBuffer: 16 * 1024 * 1024 });
    if (!isInstalled(staging, version)) throw new Error(`npm install in ${staging} did not produce ${PACKAGE}@${version}`);
    await rm(folder, { recursive: true, force: true });
    await rename(staging, folder);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { version, folder };
}

async function latestVersion(log: (line: string) => void): Promise<string> {
  try {
    const { stdout } = await run('npm', ['view', `${PACKAGE}@1`, 'version', '--json', '--loglevel=error']);
    const parsed = JSON.parse(stdout) as string | string[];
    // The registry does not promise an order.
    const versions = (Array.isArray(parsed) ? parsed : [parsed]).sort(compareVersions);
    const latest = versions.at(-1);
    if (latest !== undefined) return latest;
  } catch (error) {
    log(`Portkey gateway: registry look-up failed (${(error as Error).message.split('\n')[0]}); trying a cached install`);
  }
  const cached = readdirSync(tmpdir())
    .filter((name) => name.startsWith(CACHE_PREFIX) && !name.includes('staging'))
    .map((name) => name.slice(CACHE_PREFIX.length))
    .filter((version) => isInstalled(join(tmpdir(), `${CACHE_PREFIX}${version}`), version))
    .sort(compareVersions);
  const newest = cached.at(-1);
  if (newest === undefined) throw new Error(`Cannot find ${PACKAGE} on the registry nor in ${tmpdir()}`);
  return newest;
}

function compareVersions(left: string, right: string): number {
  const a = left.split('.').map(Number);
  const b = right.split('.').map(Number);
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function installedVersion(folder: string, packageName: string): string | undefined {
  const manifest = join(folder, 'node_modules', packageName, 'package.json');
  if (!existsSync(manifest)) return undefined;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
}

/** The package's `bin` script, which starts its Node.js server (build/start-server.js in 1.x). */
function binEntry(packageFolder: string): string {
  const manifest = JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof manifest.bin === 'string' ? manifest.bin : Object.values(manifest.bin ?? {})[0];
  if (bin === undefined) throw new Error(`${PACKAGE} has no bin entry to start it with`);
  return join(packageFolder, bin);
}

function isInstalled(folder: string, version: string): boolean {
  return installedVersion(folder, PACKAGE) === version && installedVersion(folder, '@hono/node-server') === HONO_NODE_SERVER_VERSION;
}

/**
 * Start the installed gateway with its own Node.js entry (the package's `bin`). `--headless`
 * turns off the web console and its per-request log fan-out, which Turnpike has no match for.
 */
export async function startPortkeyGateway(install: PortkeyInstall): Promise<ServerProcess> {
  const port = await findFreePort();
  const entry = binEntry(join(install.folder, 'node_modules', PACKAGE));
  return startServerProcess({
    name: `Portkey gateway ${install.version}`,
    command: process.execPath,
    args: [entry, `--port=${port}`, '--headless'],
    cwd: install.folder,
    // The gateway listens on every interface; the benchmark calls it on loopback.
    url: `http://127.0.0.1:${port}`,
    readyPattern: /Ready for connections/,
  });
}
