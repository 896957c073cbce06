import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashGatewayKey } from '../../../shared/src/keys/gateway-key-secret.ts';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';
import { type AdminHarness, createAdminHarness } from './admin-harness.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

async function withWorkspace(...ids: string[]): Promise<AdminHarness> {
  const admin = await createAdminHarness(dynamo);
  for (const id of ids) await admin.call('POST', '/v1/workspaces', { id, name: id });
  return admin;
}

describe('admin gateway keys', () => {
  it('returns the secret once on create and stores only its hash', async () => {
    const admin = await withWorkspace('ws');
    const created = await admin.call('POST', '/v1/keys', {
      workspace_id: 'ws',
      name: 'CI',
      scopes: { models: ['gpt-4o*'], virtual_keys: [] },
      expires_at: '2026-01-01T00:00:00Z',
      metadata: { team: 'ci' },
      default_config: 'prod',
      rate_limit_id: 'rl-1',
      budget_id: 'b-1',
    });
    expect(created.status).toBe(201);
    const { secret, ...key } = created.body;
    expect(secret).toMatch(/^tpk_[A-Za-z0-9_-]{43}$/);
    expect(key).toEqual({
      id: expect.stringMatching(/^key_/),
      workspace_id: 'ws',
      name: 'CI',
      display_prefix: secret.slice(0, 8),
      scopes: { models: ['gpt-4o*'], virtual_keys: [] },
      status: 'active',
      expires_at: '2026-01-01T00:00:00.000Z',
      rate_limit_id: 'rl-1',
      budget_id: 'b-1',
      metadata: { team: 'ci' },
      default_config: 'prod',
      created_at: expect.any(String),
      rotated_at: null,
      revoked_at: null,
    });

    const hash = hashGatewayKey(secret);
    const stored = await admin.control.get('api-key', hash);
    expect(stored?.data).toMatchObject({ id: key.id, workspaceId: 'ws', scopes: { models: ['gpt-4o*'], virtualKeys: [] } });
    expect((await admin.control.get('api-key-id', key.id))?.data).toEqual({ hash });

    const read = await admin.call('GET', `/v1/keys/${key.id}`);
    expect(read.body).toEqual(key);
    for (const text of [read.text, (await admin.call('GET', '/v1/keys')).text, JSON.stringify(await admin.auditItems())]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hash);
    }
  });

  it('lists keys of one workspace, page by page', async () => {
    const admin = await withWorkspace('a', 'b');
    const inA = new Set<string>();
    for (let index = 0; index < 7; index++) {
      const created = await admin.call('POST', '/v1/keys', { workspace_id: index % 2 === 0 ? 'a' : 'b', name: `k${index}` });
      if (index % 2 === 0) inA.add(created.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string; workspace_id: string }[]; next_cursor: string | null } } = await admin.call(
        'GET',
        `/v1/keys?workspace_id=a&limit=3${cursor === null ? '' : `&cursor=${cursor}`}`,
      );
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      for (const key of page.body.data) expect(key.workspace_id).toBe('a');
      seen.push(...page.body.data.map((key) => key.id));
      cursor = page.body.next_cursor;
    } while (cursor !== null);
    expect(new Set(seen)).toEqual(inA);
    expect(seen).toHaveLength(4);
  });

  it('updates settings, with null removing one', async () => {
    const admin = await withWorkspace('ws');
    const { body } = await admin.call('POST', '/v1/keys', { workspace_id: 'ws', name: 'k', budget_id: 'b', expires_at: '2030-01-01T00:00:00Z' });
    const patched = await admin.call('PATCH', `/v1/keys/${body.id}`, { name: 'renamed', budget_id: null, expires_at: null, scopes: { providers: ['openai'] } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'renamed', budget_id: null, expires_at: null, scopes: { providers: ['openai'] } });
    expect(patched.body).not.toHaveProperty('secret');
    const [update] = (await admin.call('GET', `/v1/audit?resource_kind=key&resource_id=${body.id}`)).body.data;
    expect(update).toMatchObject({ action: 'update', before: { name: 'k', budget_id: 'b' }, after: { name: 'renamed', budget_id: null } });
  });

  it('rotates: a new secret, the old hash gone, the id and settings kept', async () => {
    const admin = await withWorkspace('ws');
    const created = await admin.call('POST', '/v1/keys', { workspace_id: 'ws', name: 'k' });
    const rotated = await admin.call('POST', `/v1/keys/${created.body.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^tpk_/);
    expect(rotated.body.secret).not.toBe(created.body.secret);
    expect(rotated.body).toMatchObject({ id: created.body.id, name: 'k', rotated_at: expect.any(String) });
    expect(await admin.control.get('api-key', hashGatewayKey(created.body.secret))).toBeUndefined();
    expect(await admin.control.get('api-key', hashGatewayKey(rotated.body.secret))).toBeDefined();
    const audit = JSON.stringify(await admin.auditItems());
    expect(audit).not.toContain(rotated.body.secret);
    expect(audit).toContain('"action":"rotate"');
  });

  it('revokes once (idempotent, one audit record) and refuses to rotate a revoked key', async () => {
    const admin = await withWorkspace('ws');
    const created = await admin.call('POST', '/v1/keys', { workspace_id: 'ws', name: 'k' });
    const revoked = await admin.call('POST', `/v1/keys/${created.body.id}/revoke`);
    expect(revoked.body).toMatchObject({ status: 'revoked', revoked_at: expect.any(String) });
    expect((await admin.call('POST', `/v1/keys/${created.body.id}/revoke`)).body.status).toBe('revoked');
    const actions = (await admin.call('GET', `/v1/audit?resource_id=${created.body.id}`)).body.data.map((record: { action: string }) => record.action);
    expect(actions).toEqual(['revoke', 'create']);
    const rotate = await admin.call('POST', `/v1/keys/${created.body.id}/rotate`);
    expect(rotate.status).toBe(409);
    expect(rotate.body.error.code).toBe('key_revoked');
  });

  it('answers 404 for unknown keys and 400 for bad input', async () => {
    const admin = await withWorkspace('ws');
    for (const [method, path] of [['GET', '/v1/keys/key_nope'], ['PATCH', '/v1/keys/key_nope'], ['POST', '/v1/keys/key_nope/rotate'], ['POST', '/v1/keys/key_nope/revoke']] as const) {
      const answer = await admin.call(method, path, method === 'PATCH' ? { name: 'x' } : undefined);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code).toBe('key_not_found');
    }
    expect((await admin.call('POST', '/v1/keys', { workspace_id: 'ws', name: 'k', expires_at: '2020-01-01T00:00:00Z' })).body.error).toMatchObject({
      param: 'expires_at',
      message: 'expires_at: must be in the future',
    });
    expect((await admin.call('POST', '/v1/keys', { workspace_id: 'ws', name: 'k', expires_at: 'tomorrow' })).body.error.param).toBe('expires_at');
    expect((await admin.call('POST', '/v1/keys', { workspace_id: 'ws', name: 'k', scopes: { models: 'gpt-4o' } })).body.error).toMatchObject({
      param: 'scopes.models',
      message: 'scopes.models: expected array',
    });
    expect((await admin.call('POST', '/v1/keys', { workspace_id: 'ws', name: 'k', scopes: { model: [] } })).body.error.param).toBe('scopes.model');
  });
});
