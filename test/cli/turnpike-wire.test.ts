import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CannedAnswer, type RecordingServer, startRecordingServer } from './support/recording-server.ts';
import { runTurnpike } from './support/run-turnpike.ts';
import { expectedSignature, parseAuthorization, type WireRequest } from './support/sigv4-reference.ts';

// What the real binary sends and how it reads answers, against a loopback server that records
// requests and answers as docs/ADMIN-API.md says. The flow against the real admin API is in
// turnpike-local-server.test.ts.

const TOKEN = 'test-admin-token-0123456789';
const ACCESS_KEY_ID = 'AKIDTURNPIKETEST';
const SECRET_ACCESS_KEY = 'turnpike/test/secret+access+key';

const pages: Record<string, { data: unknown[]; next_cursor: string | null }> = {
  '': { data: [{ id: 'key_1', name: 'first', workspace_id: 'w', display_prefix: 'tpk_AAAA', status: 'active', created_at: '2026-01-01T00:00:00.000Z' }], next_cursor: 'c2' },
  c2: { data: [{ id: 'key_2', name: 'second', workspace_id: 'w', display_prefix: 'tpk_BBBB', status: 'revoked', expires_at: null, created_at: '2026-01-02T00:00:00.000Z' }], next_cursor: null },
};

function answer(request: WireRequest): CannedAnswer {
  const url = new URL(request.target, 'http://placeholder');
  if (request.headers.authorization?.startsWith('Bearer ') && request.headers.authorization !== `Bearer ${TOKEN}`) {
    return { status: 401, body: { error: { message: 'The admin token is not valid.', type: 'authentication_error', code: 'invalid_admin_token', param: null } } };
  }
  if (url.pathname === '/v1/keys' && request.method === 'GET') return { status: 200, body: pages[url.searchParams.get('cursor') ?? ''] };
  if (url.pathname === '/v1/virtual-keys' && request.method === 'POST') {
    const { secret: _secret, ...rest } = JSON.parse(request.body) as Record<string, unknown>;
    return { status: 201, body: { ...rest, status: 'active', created_at: '2026-01-01T00:00:00.000Z' } };
  }
  if (url.pathname.startsWith('/proxy/v1/broken')) return { status: 500, text: 'upstream exploded\nwith a stack trace' };
  if (url.pathname.startsWith('/v1/workspaces/') && request.method === 'DELETE') {
    return { status: 409, body: { error: { message: 'Workspace "w" is still used by key key_1.', type: 'invalid_request_error', code: 'workspace_in_use', param: null } } };
  }
  return { status: 404, body: { error: { message: `No admin route for ${request.method} ${url.pathname}.`, type: 'invalid_request_error', code: 'route_not_found', param: null } } };
}

let server: RecordingServer;
const env = () => ({ TURNPIKE_ADMIN_URL: server.url, TURNPIKE_ADMIN_TOKEN: TOKEN });

beforeAll(async () => {
  server = await startRecordingServer(answer);
});
afterAll(async () => {
  await server.close();
});

describe('turnpike against a recording server', { timeout: 30_000 }, () => {
  it('prints an aligned table and tells how to get the next page', async () => {
    const run = await runTurnpike(['keys', 'list', '--workspace', 'w', '--limit', '1'], { env: env() });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      [
        'ID     NAME   WORKSPACE  PREFIX    STATUS  EXPIRES  CREATED',
        'key_1  first  w          tpk_AAAA  active  -        2026-01-01T00:00:00.000Z',
        'More keys: add --cursor c2 for the next page, or --all for every page.',
        '',
      ].join('\n'),
    );
    const request = server.requests.at(-1)!;
    expect(request.target).toBe('/v1/keys?workspace_id=w&limit=1');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('follows cursors with --all and prints parseable JSON with --json', async () => {
    const run = await runTurnpike(['keys', 'list', '--all', '--json'], { env: env() });
    expect(run.code).toBe(0);
    const listing = JSON.parse(run.stdout) as { data: { id: string }[]; next_cursor: unknown };
    expect(listing.data.map((key) => key.id)).toEqual(['key_1', 'key_2']);
    expect(listing.next_cursor).toBeNull();
    expect(server.requests.slice(-2).map((request) => request.target)).toEqual(['/v1/keys', '/v1/keys?cursor=c2']);
  });

  it('reads a virtual key secret from stdin and never echoes it', async () => {
    const run = await runTurnpike(
      ['virtual-keys', 'add', '--id', 'openai-prod', '--workspace', 'w', '--name', 'OpenAI', '--provider', 'openai', '--secret-stdin', '--allowed-models', 'gpt-4o,gpt-4o-mini', '--option', 'organization=org-1', '--budget-id', 'team-a'],
      { env: env(), stdin: 'sk-from-stdin\n' },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(server.requests.at(-1)!.body)).toEqual({
      id: 'openai-prod',
      workspace_id: 'w',
      name: 'OpenAI',
      provider: 'openai',
      secret: 'sk-from-stdin',
      allowed_models: ['gpt-4o', 'gpt-4o-mini'],
      options: { organization: 'org-1' },
      budget_id: 'team-a',
    });
    expect(run.stdout + run.stderr).not.toContain('sk-from-stdin');
    expect(run.stdout).toMatch(/^id +openai-prod$/m);
  });

  it('reads a virtual key secret from a named environment variable', async () => {
    const run = await runTurnpike(
      ['virtual-keys', 'add', '--id', 'a', '--workspace', 'w', '--name', 'A', '--provider', 'anthropic', '--secret-env', 'MY_PROVIDER_KEY'],
      { env: { ...env(), MY_PROVIDER_KEY: 'sk-ant-from-env' } },
    );
    expect(run.code).toBe(0);
    expect((JSON.parse(server.requests.at(-1)!.body) as { secret: string }).secret).toBe('sk-ant-from-env');
  });

  it('signs with SigV4 from the standard credential chain, which a verifier accepts', async () => {
    const before = server.requests.length;
    const run = await runTurnpike(['keys', 'list', '--sigv4', '--region', 'eu-west-1', '--workspace', 'team a'], {
      env: {
        TURNPIKE_ADMIN_URL: server.url,
        AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY,
        AWS_SESSION_TOKEN: 'session-token-from-env',
      },
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const request = server.requests[before]!;
    const authorization = parseAuthorization(request.headers.authorization ?? '');
    expect(authorization).toMatchObject({ accessKeyId: ACCESS_KEY_ID, region: 'eu-west-1', service: 'lambda' });
    expect(authorization?.signedHeaders).toEqual(expect.arrayContaining(['host', 'x-amz-date', 'x-amz-security-token']));
    expect(request.headers['x-amz-security-token']).toBe('session-token-from-env');
    expect(authorization?.signature).toBe(expectedSignature(request, authorization!, SECRET_ACCESS_KEY));
  });

  it('fails with exit 1 and one line naming the status and the API message, never the token', async () => {
    const run = await runTurnpike(['keys', 'list'], { env: { TURNPIKE_ADMIN_URL: server.url, TURNPIKE_ADMIN_TOKEN: 'wrong-token-value' } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('turnpike: HTTP 401: The admin token is not valid. (invalid_admin_token)\n');
    expect(run.stderr).not.toContain('wrong-token-value');
  });

  it('reports a conflict on delete in one line', async () => {
    const run = await runTurnpike(['workspaces', 'delete', 'w'], { env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('turnpike: HTTP 409: Workspace "w" is still used by key key_1. (workspace_in_use)\n');
  });

  it('keeps a non-JSON error body to its first line, under a base URL with a path', async () => {
    const run = await runTurnpike(['keys', 'get', 'key 1', '--url', `${server.url}/proxy/v1/broken/`], { env: env() });
    expect(server.requests.at(-1)?.target).toBe('/proxy/v1/broken/v1/keys/key%201');
    expect(run).toMatchObject({ code: 1, stdout: '', stderr: 'turnpike: HTTP 500: upstream exploded\n' });
  });

  it('fails with exit 1 and one line when nothing listens', async () => {
    const closed = await startRecordingServer(answer);
    await closed.close();
    const run = await runTurnpike(['keys', 'list'], { env: { TURNPIKE_ADMIN_URL: closed.url, TURNPIKE_ADMIN_TOKEN: TOKEN } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^turnpike: cannot reach http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.*\n$/);
  });

  it('fails with exit 2 and one line on a usage error, sending nothing', async () => {
    const before = server.requests.length;
    const run = await runTurnpike(['virtual-keys', 'add', '--id', 'x', '--workspace', 'w', '--name', 'n', '--provider', 'openai'], { env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'turnpike: the provider secret is required: pipe it in with --secret-stdin, or name a variable with --secret-env VAR\n',
    );
    expect(server.requests.length).toBe(before);
  });

  it('prints help and exits 0', async () => {
    const run = await runTurnpike(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: turnpike <resource> <action>');
    const commandHelp = await runTurnpike(['virtual-keys', 'add', '--help']);
    expect(commandHelp.stdout).toContain('--secret-stdin');
  });
});
