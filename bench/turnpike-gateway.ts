import { join } from 'node:path';
import { type ServerProcess, startServerProcess } from './server-process.ts';

/**
 * Start Turnpike's local server (`npm start`'s entry) as its own process, request logging
 * off so stdout writes are not part of what is measured. tsx compiles the TypeScript once at
 * start-up; requests run the compiled code.
 */
export function startTurnpikeGateway(repoRoot: string, cpuProfileFolder?: string, environment: Readonly<Record<string, string>> = {}): Promise<ServerProcess> {
  // A V8 CPU profile of the whole run, written when the server exits, for finding hot spots.
  const profile = cpuProfileFolder === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${cpuProfileFolder}`];
  return startServerProcess({
    name: 'Turnpike local gateway',
    command: process.execPath,
    args: [...profile, '--import', 'tsx', join(repoRoot, 'local', 'start-local-gateway.ts')],
    cwd: repoRoot,
    env: {
      TURNPIKE_PORT: '0',
      // The local admin API starts beside the gateway; a free port keeps runs independent.
      TURNPIKE_ADMIN_PORT: '0',
      TURNPIKE_HOST: '127.0.0.1',
      TURNPIKE_LOG_REQUESTS: 'false',
      // The stored request log is measured on its own (bench/measure-request-logging.ts).
      TURNPIKE_STORE_REQUEST_LOGS: 'false',
      // Stores in memory and no turnpike.config.json: a developer's local data and settings
      // must neither skew the figures nor be touched by them.
      TURNPIKE_DATA_DIR: ':memory:',
      TURNPIKE_CONFIG_FILE: '',
      ...environment,
    },
    readyPattern: /Turnpike gateway listening on (http:\/\/\S+)/,
  });
}
