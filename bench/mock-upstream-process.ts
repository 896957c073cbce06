import { join } from 'node:path';
import { type ServerProcess, startServerProcess } from './server-process.ts';

/** Start the mock upstream (bench/mock-upstream-server.ts) as its own process on a free loopback port. */
export function startMockUpstreamProcess(repoRoot: string): Promise<ServerProcess> {
  return startServerProcess({
    name: 'mock upstream',
    command: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, 'bench', 'mock-upstream-server.ts')],
    cwd: repoRoot,
    readyPattern: /mock upstream listening on (http:\/\/\S+)/,
  });
}
