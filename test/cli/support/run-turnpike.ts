import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../cli/bin/turnpike.mjs', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface TurnpikeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** Added to a clean environment (PATH only), so nothing from the developer's shell leaks in. */
  env?: Record<string, string>;
  stdin?: string;
  /** @default the repository root */
  cwd?: string;
}

/** Run the real `turnpike` binary (`node cli/bin/turnpike.mjs …`) and collect what it printed. */
export function runTurnpike(args: readonly string[], options: RunOptions = {}): Promise<TurnpikeRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        // Keep the AWS credential chain away from the machine's profiles and metadata service.
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent/turnpike-test-aws-config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/turnpike-test-aws-credentials',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
