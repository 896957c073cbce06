import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/command-spec.ts';
import { runTurnpike } from '../../cli/turnpike.ts';

function memoryIo(): CliIo & { stdout: string; stderr: string } {
  const io = {
    env: { TURNPIKE_ADMIN_TOKEN: 'usage-limit-cli-token' },
    stdinIsTerminal: false,
    stdout: '',
    stderr: '',
    readStdin: () => Promise.resolve(''),
    writeStdout: (text: string) => void (io.stdout += text),
    writeStderr: (text: string) => void (io.stderr += text),
  };
  return io;
}

async function run(argv: string[]): Promise<{ code: number; calls: { method: string | undefined; url: string; body: unknown }[]; io: ReturnType<typeof memoryIo> }> {
  const calls: { method: string | undefined; url: string; body: unknown }[] = [];
  const fetchRecording: typeof fetch = (input, init) => {
    calls.push({ method: init?.method, url: String(input), body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
    return Promise.resolve(Response.json({ id: 'x', spent: 1, remaining: 2 }));
  };
  const io = memoryIo();
  const code = await runTurnpike(argv, io, { fetch: fetchRecording });
  return { code, calls, io };
}

describe('budgets and rate-limits commands', () => {
  it('sets a budget with PUT', async () => {
    const { code, calls } = await run(['budgets', 'set', 'team-a', '--unit', 'usd', '--cap', '50', '--period', 'monthly', '--soft-threshold', '0.8']);
    expect(code).toBe(0);
    expect(calls).toEqual([{ method: 'PUT', url: 'http://127.0.0.1:8788/v1/budgets/team-a', body: { unit: 'usd', limit: 50, period: 'monthly', soft_threshold: 0.8 } }]);
  });

  it('shows usage and resets a workspace budget', async () => {
    expect((await run(['budgets', 'show', 'workspace:ws-1'])).calls[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:8788/v1/budgets/workspace%3Aws-1/usage' });
    expect((await run(['budgets', 'reset', 'team-a'])).calls[0]).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:8788/v1/budgets/team-a/reset' });
  });

  it('sets and shows a rate limit', async () => {
    expect((await run(['rate-limits', 'set', 'rl', '--rpm', '60', '--tpm', '10000'])).calls[0]).toEqual({
      method: 'PUT',
      url: 'http://127.0.0.1:8788/v1/rate-limits/rl',
      body: { requests_per_minute: 60, tokens_per_minute: 10000 },
    });
    expect((await run(['rate-limits', 'show', 'rl'])).calls[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:8788/v1/rate-limits/rl' });
    const empty = await run(['rate-limits', 'set', 'rl']);
    expect(empty.code).not.toBe(0);
  });
});
