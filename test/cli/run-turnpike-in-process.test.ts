import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/command-spec.ts';
import { runTurnpike } from '../../cli/turnpike.ts';

function memoryIo(env: Record<string, string> = {}, stdin = ''): CliIo & { stdout: string; stderr: string } {
  const io = {
    env,
    stdinIsTerminal: false,
    stdout: '',
    stderr: '',
    readStdin: () => Promise.resolve(stdin),
    writeStdout: (text: string) => void (io.stdout += text),
    writeStderr: (text: string) => void (io.stderr += text),
  };
  return io;
}

const TOKEN = 'in-process-admin-token-xyz';

describe('runTurnpike', () => {
  it('never prints the admin token, even when a failure message carries it', async () => {
    const leakyFetch: typeof fetch = () =>
      Promise.reject(new TypeError('fetch failed', { cause: new Error(`refused, Authorization: Bearer ${TOKEN}`) }));
    for (const [argv, env] of [
      [['keys', 'list'], { TURNPIKE_ADMIN_TOKEN: TOKEN }],
      [['keys', 'list', '--token', TOKEN], {}],
      [['keys', 'list', `--token=${TOKEN}`], {}],
    ] as const) {
      const io = memoryIo(env);
      expect(await runTurnpike(argv, io, { fetch: leakyFetch })).toBe(1);
      expect(io.stderr).toBe('turnpike: cannot reach http://127.0.0.1:8788: refused, Authorization: Bearer ***\n');
      expect(io.stdout).toBe('');
    }
  });

  it('folds a multi-line API message onto one line and keeps the exit code 1', async () => {
    const fetchMultiLine: typeof fetch = () =>
      Promise.resolve(
        Response.json({ error: { message: 'first line\nsecond line', type: 'x', code: 'bad', param: null } }, { status: 400 }),
      );
    const io = memoryIo({ TURNPIKE_ADMIN_TOKEN: TOKEN });
    expect(await runTurnpike(['workspaces', 'get', 'w'], io, { fetch: fetchMultiLine })).toBe(1);
    expect(io.stderr).toBe('turnpike: HTTP 400: first line (bad)\n');
  });

  it('sends JSON bodies with the bearer token and prints the answer', async () => {
    const seen: { url: string; init: RequestInit | undefined }[] = [];
    const fetchRecording: typeof fetch = (input, init) => {
      seen.push({ url: String(input), init });
      return Promise.resolve(Response.json({ id: 'team-b', name: 'Team B', metadata: { tier: 'gold' } }, { status: 201 }));
    };
    const io = memoryIo({ TURNPIKE_ADMIN_TOKEN: TOKEN });
    const code = await runTurnpike(['workspaces', 'create', '--id', 'team-b', '--name', 'Team B', '--metadata', 'tier=gold'], io, {
      fetch: fetchRecording,
    });
    expect(code).toBe(0);
    expect(seen[0]?.url).toBe('http://127.0.0.1:8788/v1/workspaces');
    expect(seen[0]?.init?.method).toBe('POST');
    expect(seen[0]?.init?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
    expect(JSON.parse(String(seen[0]?.init?.body))).toEqual({ id: 'team-b', name: 'Team B', metadata: { tier: 'gold' } });
    expect(io.stdout).toBe('id        team-b\nname      Team B\nmetadata  tier=gold\n');
  });

  it('signs with the given credentials when the URL is a function URL', async () => {
    let authorization = '';
    const fetchRecording: typeof fetch = (_input, init) => {
      authorization = (init?.headers as Record<string, string>).authorization ?? '';
      return Promise.resolve(Response.json({ data: [], next_cursor: null }));
    };
    const io = memoryIo({ TURNPIKE_ADMIN_TOKEN: TOKEN });
    const code = await runTurnpike(['audit', 'list', '--url', 'https://abc123.lambda-url.sa-east-1.on.aws'], io, {
      fetch: fetchRecording,
      credentials: { accessKeyId: 'AKIDINPROCESS', secretAccessKey: 'secret' },
    });
    expect(code).toBe(0);
    expect(io.stdout).toBe('No audit records.\n');
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDINPROCESS\/\d{8}\/sa-east-1\/lambda\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(authorization).not.toContain(TOKEN);
  });

  it('explains missing AWS credentials in one line', async () => {
    const io = memoryIo();
    const code = await runTurnpike(['audit', 'list', '--url', 'https://abc123.lambda-url.sa-east-1.on.aws'], io, {
      fetch: () => Promise.reject(new Error('must not be called')),
      credentials: () => Promise.reject(new Error('Could not load credentials from any providers')),
    });
    expect(code).toBe(1);
    expect(io.stderr).toBe('turnpike: cannot sign the request with AWS credentials: Could not load credentials from any providers\n');
  });
});
