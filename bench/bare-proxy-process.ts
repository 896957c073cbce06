import { join } from 'node:path';
import { type ServerProcess, startServerProcess } from './server-process.ts';

/** Start bench/bare-proxy-server.ts, the floor reference: what one more node:http hop costs on this machine. */
export function startBareProxy(repoRoot: string): Promise<ServerProcess> {
  return startServerProcess({
    name: 'bare node:http proxy',
    command: process.execPath,
    args: ['--import', 'tsx', join(repoRoot, 'bench', 'bare-proxy-server.ts')],
    cwd: repoRoot,
    readyPattern: /bare proxy listening on (http:\/\/\S+)/,
  });
}
