import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/command-spec.ts';
import { runTurnpike } from '../../cli/turnpike.ts';

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'turnpike-guardrails-cli-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

const GUARDRAIL = { name: 'No SSNs', checks: [{ id: 'default.regexMatch', parameters: { rule: '\\d{3}-\\d{2}-\\d{4}', not: true } }], actions: { deny: true } };
const ANSWER = { id: 'no-pii', name: 'No SSNs', workspace_id: null, checks: GUARDRAIL.checks, actions: { deny: true, async: false, on_fail: null, on_success: null } };

function memoryIo(stdin = ''): CliIo & { stdout: string; stderr: string } {
  const io = {
    env: { TURNPIKE_ADMIN_TOKEN: 'guardrail-cli-token' },
    stdinIsTerminal: false,
    stdout: '',
    stderr: '',
    readStdin: () => Promise.resolve(stdin),
    writeStdout: (text: string) => void (io.stdout += text),
    writeStderr: (text: string) => void (io.stderr += text),
  };
  return io;
}

async function run(argv: string[], stdin = '') {
  const calls: { method: string | undefined; url: string; body: unknown }[] = [];
  const fetchRecording: typeof fetch = (input, init) => {
    calls.push({ method: init?.method, url: String(input), body: init?.body === undefined ? undefined : JSON.parse(String(init.body)) });
    return Promise.resolve(Response.json(init?.method === 'GET' && new URL(String(input)).pathname === '/v1/guardrails' ? { object: 'list', data: [ANSWER], next_cursor: null } : ANSWER));
  };
  const io = memoryIo(stdin);
  const code = await runTurnpike(argv, io, { fetch: fetchRecording });
  return { code, calls, io };
}

describe('guardrails commands', () => {
  it('puts a guardrail from a file, with the workspace and name from options', async () => {
    const file = join(folder, 'no-pii.json');
    await writeFile(file, JSON.stringify(GUARDRAIL));
    const { code, calls, io } = await run(['guardrails', 'put', 'no-pii', '--file', file, '--workspace', 'ws', '--name', 'Renamed']);
    expect(code).toBe(0);
    expect(calls).toEqual([{ method: 'PUT', url: 'http://127.0.0.1:8788/v1/guardrails/no-pii', body: { ...GUARDRAIL, workspace_id: 'ws', name: 'Renamed' } }]);
    expect(io.stdout).toContain('default.regexMatch');
  });

  it('reads the guardrail from stdin and refuses a file that is not an object', async () => {
    expect((await run(['guardrails', 'put', 'g', '--file', '-'], JSON.stringify(GUARDRAIL))).calls[0]?.body).toEqual(GUARDRAIL);
    const refused = await run(['guardrails', 'put', 'g', '--file', '-'], '[1]');
    expect(refused.code).not.toBe(0);
    expect(refused.calls).toEqual([]);
    expect(refused.io.stderr).toContain('must hold a guardrail object');
  });

  it('gets, lists by workspace and deletes', async () => {
    expect((await run(['guardrails', 'get', 'no-pii'])).calls[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:8788/v1/guardrails/no-pii' });
    const listed = await run(['guardrails', 'list', '--workspace', 'ws']);
    expect(listed.calls[0]).toMatchObject({ method: 'GET', url: 'http://127.0.0.1:8788/v1/guardrails?workspace_id=ws' });
    expect(listed.io.stdout).toContain('No SSNs');
    const deleted = await run(['guardrails', 'delete', 'no-pii']);
    expect(deleted.calls[0]).toMatchObject({ method: 'DELETE', url: 'http://127.0.0.1:8788/v1/guardrails/no-pii' });
    expect(deleted.io.stdout).toContain('Deleted guardrail no-pii.');
  });
});
