import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalGateway, startLocalGateway } from '../../local/start-local-gateway.ts';
import { runTurnpike, type TurnpikeRun } from './support/run-turnpike.ts';

// The real `turnpike` binary against the real local admin API (in memory, fixed admin token).

const TOKEN = 'cli-test-admin-token-0123456789';

let gateway: LocalGateway;
let folder: string;

beforeAll(async () => {
  gateway = await startLocalGateway({
    environment: { TURNPIKE_DATA_DIR: ':memory:', TURNPIKE_ADMIN_TOKEN: TOKEN, TURNPIKE_CONFIG_FILE: '' },
    admin: { port: 0 },
  });
  folder = await mkdtemp(join(tmpdir(), 'turnpike-cli-'));
  const workspace = await turnpike('workspaces', 'create', '--id', 'team-a', '--name', 'Team A', '--metadata', 'owner=platform');
  expect(workspace.code).toBe(0);
});

afterAll(async () => {
  await gateway?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

function turnpike(...args: string[]): Promise<TurnpikeRun> {
  return runTurnpike(args, { env: { TURNPIKE_ADMIN_URL: gateway.adminUrl ?? '', TURNPIKE_ADMIN_TOKEN: TOKEN } });
}

async function turnpikeJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const run = await turnpike(...args, '--json');
  expect(run.stderr, `turnpike ${args.join(' ')}`).not.toMatch(/^turnpike: (?!warning)/m);
  expect(run.code, `turnpike ${args.join(' ')}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** The rows of a human table, as arrays of cells (cells hold no double spaces here). */
function tableRows(stdout: string): string[][] {
  return stdout.trimEnd().split('\n').map((line) => line.split(/ {2,}/));
}

// Every step spawns a Node process; on a busy two-core machine a flow of ten takes a while.
describe('turnpike against the local admin API', { timeout: 60_000 }, () => {
  it('creates, lists, rotates and revokes a gateway key; the secret is shown only on create and rotate', async () => {
    const created = await turnpike(
      'keys', 'create', '--workspace', 'team-a', '--name', 'ci',
      '--scope-providers', 'openai,anthropic', '--scope-models', '', '--metadata', 'team=ml', '--expires-at', '2099-01-01T00:00:00Z',
    );
    expect(created.code).toBe(0);
    const secret = /^secret +(tpk_\S+)$/m.exec(created.stdout)?.[1];
    expect(secret).toBeDefined();
    expect(created.stdout).toContain('will not show it again');
    const id = /^id +(key_\S+)$/m.exec(created.stdout)?.[1] ?? '';
    expect(created.stdout).toMatch(/^scopes +\{"providers":\["openai","anthropic"\],"models":\[\]\}$/m);
    expect(created.stdout).toMatch(/^expires_at +2099-01-01T00:00:00.000Z$/m);

    const listed = await turnpike('keys', 'list', '--workspace', 'team-a');
    expect(listed.code).toBe(0);
    const [header, ...rows] = tableRows(listed.stdout);
    expect(header).toEqual(['ID', 'NAME', 'WORKSPACE', 'PREFIX', 'STATUS', 'EXPIRES', 'CREATED']);
    const row = rows.find((cells) => cells[0] === id);
    expect(row?.slice(1, 6)).toEqual(['ci', 'team-a', secret?.slice(0, row?.[3]?.length), 'active', '2099-01-01T00:00:00.000Z']);
    expect(listed.stdout).not.toContain(secret);

    const rotated = await turnpikeJson<{ id: string; secret: string }>('keys', 'rotate', id);
    expect(rotated.id).toBe(id);
    expect(rotated.secret).toMatch(/^tpk_/);
    expect(rotated.secret).not.toBe(secret);

    const revoked = await turnpikeJson<{ status: string; revoked_at: string }>('keys', 'revoke', id);
    expect(revoked.status).toBe('revoked');
    const fetched = await turnpike('keys', 'get', id);
    expect(fetched.stdout).toMatch(/^status +revoked$/m);
    expect(fetched.stdout).not.toContain('tpk_' + rotated.secret.slice(4));
  });

  it('updates a key without widening the scopes it did not name', async () => {
    const { id } = await turnpikeJson<{ id: string }>('keys', 'create', '--workspace', 'team-a', '--name', 'svc', '--scope-providers', 'openai');
    const updated = await turnpikeJson<{ name: string; scopes: unknown }>('keys', 'update', id, '--name', 'svc-2', '--scope-models', 'gpt-4o*');
    expect(updated).toMatchObject({ name: 'svc-2', scopes: { providers: ['openai'], models: ['gpt-4o*'] } });
  });

  it('sets a key\'s budget and rate limit, then removes them with none', async () => {
    const { id, budget_id: budgetId, rate_limit_id: rateLimitId } = await turnpikeJson<{ id: string; budget_id: string; rate_limit_id: string }>(
      'keys', 'create', '--workspace', 'team-a', '--name', 'limited', '--budget-id', 'b-1', '--rate-limit-id', 'r-1',
    );
    expect([budgetId, rateLimitId]).toEqual(['b-1', 'r-1']);
    const cleared = await turnpikeJson<Record<string, unknown>>('keys', 'update', id, '--budget-id', 'none', '--rate-limit-id', 'none');
    expect(cleared.budget_id ?? null).toBeNull();
    expect(cleared.rate_limit_id ?? null).toBeNull();
    expect(cleared.name).toBe('limited');
  });

  it('adds a virtual key from stdin and never shows its secret', async () => {
    const providerSecret = 'sk-cli-test-provider-secret-abcdef';
    const added = await runTurnpike(
      ['virtual-keys', 'add', '--id', 'openai-prod', '--workspace', 'team-a', '--name', 'OpenAI prod', '--provider', 'openai', '--secret-stdin', '--allowed-models', 'gpt-4o,gpt-4o-mini'],
      { env: { TURNPIKE_ADMIN_URL: gateway.adminUrl ?? '', TURNPIKE_ADMIN_TOKEN: TOKEN }, stdin: `${providerSecret}\n` },
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^allowed_models +gpt-4o,gpt-4o-mini$/m);

    const listed = await turnpike('virtual-keys', 'list');
    const listedJson = await turnpike('virtual-keys', 'list', '--json');
    const fetched = await turnpike('virtual-keys', 'get', 'openai-prod', '--json');
    for (const run of [added, listed, listedJson, fetched]) expect(run.stdout + run.stderr).not.toContain(providerSecret);
    expect(tableRows(listed.stdout)[1]?.slice(0, 6)).toEqual(['openai-prod', 'OpenAI prod', 'team-a', 'openai', 'active', 'gpt-4o,gpt-4o-mini']);
  });

  it('disables, rotates from an environment variable, and deletes a virtual key', async () => {
    const addedFromEnv = await runTurnpike(
      ['virtual-keys', 'add', '--id', 'anthropic-dev', '--workspace', 'team-a', '--name', 'Anthropic dev', '--provider', 'anthropic', '--secret-env', 'FIRST_KEY'],
      { env: { TURNPIKE_ADMIN_URL: gateway.adminUrl ?? '', TURNPIKE_ADMIN_TOKEN: TOKEN, FIRST_KEY: 'sk-ant-first' } },
    );
    expect(addedFromEnv.code, addedFromEnv.stderr).toBe(0);
    const disabled = await turnpikeJson<{ status: string }>('virtual-keys', 'disable', 'anthropic-dev');
    expect(disabled.status).toBe('disabled');
    const rotated = await runTurnpike(['virtual-keys', 'rotate', 'anthropic-dev', '--secret-env', 'NEW_KEY', '--json'], {
      env: { TURNPIKE_ADMIN_URL: gateway.adminUrl ?? '', TURNPIKE_ADMIN_TOKEN: TOKEN, NEW_KEY: 'sk-rotated-secret-value' },
    });
    expect(rotated.code, rotated.stderr).toBe(0);
    expect((JSON.parse(rotated.stdout) as { rotated_at: unknown }).rotated_at).toEqual(expect.any(String));
    expect(rotated.stdout).not.toContain('sk-rotated-secret-value');

    const deleted = await turnpike('virtual-keys', 'delete', 'anthropic-dev');
    expect(deleted).toMatchObject({ code: 0, stdout: 'Deleted virtual key anthropic-dev and its secret.\n' });
    const gone = await turnpike('virtual-keys', 'get', 'anthropic-dev');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^turnpike: HTTP 404: .*\n$/);
  });

  it('saves config versions, lists them, and rolls back', async () => {
    const first = join(folder, 'first.json');
    const second = join(folder, 'second.json');
    await writeFile(first, JSON.stringify({ strategy: { mode: 'fallback' }, targets: [{ provider: 'openai' }, { provider: 'anthropic' }] }));
    await writeFile(second, JSON.stringify({ provider: 'anthropic', retry: { attempts: 2 } }));

    const put1 = await turnpike('configs', 'put', 'prod-routing', '--file', first);
    expect(put1.code, put1.stderr).toBe(0);
    expect(put1.stdout).toMatch(/^current_version +1$/m);
    expect(put1.stdout).toContain('"mode": "fallback"');
    expect(await turnpikeJson('configs', 'put', 'prod-routing', '--file', second)).toMatchObject({ current_version: 2, latest_version: 2 });

    const listed = await turnpike('configs', 'list');
    expect(tableRows(listed.stdout)).toContainEqual(['prod-routing', '-', '2', '2']);
    const versions = await turnpike('configs', 'versions', 'prod-routing');
    expect(tableRows(versions.stdout).map((cells) => cells.slice(0, 2))).toEqual([['VERSION', 'CURRENT'], ['1', 'false'], ['2', 'true']]);

    const rolledBack = await turnpikeJson<{ current_version: number; config: unknown }>('configs', 'rollback', 'prod-routing', '--version', '1');
    expect(rolledBack.current_version).toBe(1);
    expect(rolledBack.config).toMatchObject({ strategy: { mode: 'fallback' } });
    expect(await turnpikeJson('configs', 'get', 'prod-routing', '--version', '2')).toMatchObject({ config: { provider: 'anthropic' } });
    expect(await turnpikeJson('configs', 'get', 'prod-routing')).toMatchObject({ current_version: 1, latest_version: 2 });

    const invalid = join(folder, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ strategy: { mode: 'sideways' } }));
    const refused = await turnpike('configs', 'put', 'prod-routing', '--file', invalid);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^turnpike: HTTP 400: [^\n]+\n$/);
  });

  it('manages principals and shows the audit trail', async () => {
    const added = await turnpikeJson('principals', 'add', '--id', 'batch', '--workspace', 'team-a', '--name', 'Batch jobs', '--arn-pattern', 'arn:aws:sts::123456789012:assumed-role/batch-*');
    expect(added).toMatchObject({ id: 'batch', arn_pattern: 'arn:aws:sts::123456789012:assumed-role/batch-*' });
    const listed = await turnpike('principals', 'list');
    expect(tableRows(listed.stdout)).toContainEqual(['batch', 'Batch jobs', 'team-a', 'arn:aws:sts::123456789012:assumed-role/batch-*']);
    expect((await turnpike('principals', 'delete', 'batch')).stdout).toBe('Deleted principal batch.\n');

    const audit = await turnpikeJson<{ data: { action: string; actor: string; resource_id: string }[] }>('audit', 'list', '--resource-kind', 'principal', '--resource-id', 'batch');
    expect(audit.data.map((record) => record.action)).toEqual(['delete', 'create']);
    expect(audit.data.every((record) => record.actor === 'local-admin')).toBe(true);
  });

  it('follows cursors with --all', async () => {
    for (const name of ['p1', 'p2', 'p3']) await turnpikeJson('workspaces', 'create', '--id', `page-${name}`, '--name', name);
    const firstPage = await turnpikeJson<{ data: unknown[]; next_cursor: string | null }>('workspaces', 'list', '--limit', '2');
    expect(firstPage.data).toHaveLength(2);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const everything = await turnpikeJson<{ data: { id: string }[]; next_cursor: null }>('workspaces', 'list', '--limit', '2', '--all');
    expect(everything.data.map((workspace) => workspace.id)).toEqual(expect.arrayContaining(['team-a', 'page-p1', 'page-p2', 'page-p3']));
    expect(everything.next_cursor).toBeNull();
  });

  it('exits 1 with one line for a wrong token, and never prints it', async () => {
    const run = await runTurnpike(['keys', 'list'], {
      env: { TURNPIKE_ADMIN_URL: gateway.adminUrl ?? '', TURNPIKE_ADMIN_TOKEN: 'not-the-admin-token-42' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^turnpike: HTTP 401: [^\n]+\(invalid_admin_token\)\n$/);
    expect(run.stderr).not.toContain('not-the-admin-token-42');
    const missing = await runTurnpike(['keys', 'list'], { env: { TURNPIKE_ADMIN_URL: gateway.adminUrl ?? '' } });
    expect(missing.stderr).toMatch(/^turnpike: HTTP 401: .*set TURNPIKE_ADMIN_TOKEN or pass --token\n$/);
  });

  it('exits 2 with one line on a usage error', async () => {
    const run = await turnpike('keys', 'create', '--workspace', 'team-a');
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'turnpike: keys create needs --name\n' });
  });
});
