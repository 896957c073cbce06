import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';
import { createAdminHarness } from './admin-harness.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describe('admin workspaces', () => {
  it('creates, reads, lists, updates and deletes a workspace, auditing each change', async () => {
    const admin = await createAdminHarness(dynamo);
    const created = await admin.call('POST', '/v1/workspaces', { id: 'team-a', name: 'Team A', metadata: { cost_center: '42' } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'team-a',
      name: 'Team A',
      metadata: { cost_center: '42' },
      created_at: '2025-06-01T00:00:00.001Z',
      updated_at: '2025-06-01T00:00:00.001Z',
    });
    expect((await admin.call('GET', '/v1/workspaces/team-a')).body).toEqual(created.body);

    const patched = await admin.call('PATCH', '/v1/workspaces/team-a', { name: 'Team Alpha' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: 'team-a', name: 'Team Alpha', metadata: { cost_center: '42' } });

    const listed = await admin.call('GET', '/v1/workspaces');
    expect(listed.body).toEqual({ data: [patched.body], next_cursor: null });

    expect((await admin.call('DELETE', '/v1/workspaces/team-a')).status).toBe(204);
    expect((await admin.call('GET', '/v1/workspaces/team-a')).status).toBe(404);

    const audit = await admin.call('GET', '/v1/audit?resource_kind=workspace&resource_id=team-a');
    expect(audit.body.data.map((record: { action: string }) => record.action)).toEqual(['delete', 'update', 'create']);
    expect(audit.body.data[1]).toMatchObject({
      actor: 'local-admin',
      resource_kind: 'workspace',
      resource_id: 'team-a',
      before: { name: 'Team A' },
      after: { name: 'Team Alpha' },
    });
    expect(audit.body.data[0].after).toBeNull();
  });

  it('refuses a second workspace with the same id (409) and unknown ids (404)', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'dup', name: 'First' });
    const again = await admin.call('POST', '/v1/workspaces', { id: 'dup', name: 'Second' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('workspace_exists');
    expect((await admin.call('PATCH', '/v1/workspaces/missing', { name: 'x' })).status).toBe(404);
    expect((await admin.call('DELETE', '/v1/workspaces/missing')).body.error).toMatchObject({ type: 'not_found_error', code: 'workspace_not_found' });
  });

  it('names the field at fault in a 400', async () => {
    const admin = await createAdminHarness(dynamo);
    const badId = await admin.call('POST', '/v1/workspaces', { id: 'no spaces', name: 'x' });
    expect(badId.status).toBe(400);
    expect(badId.body.error).toMatchObject({ param: 'id', code: 'invalid_request' });
    expect(badId.body.error.message).toMatch(/^id: must be 1 to 100 letters/);
    expect((await admin.call('POST', '/v1/workspaces', { id: 'ok' })).body.error).toMatchObject({ param: 'name', message: 'name: required (string)' });
    expect((await admin.call('POST', '/v1/workspaces', { id: 'ok', name: 'x', extra: 1 })).body.error).toMatchObject({ param: 'extra', message: 'extra: unknown field' });
    expect((await admin.call('POST', '/v1/workspaces', { id: 'ok', name: 'x', metadata: { a: 1 } })).body.error.param).toBe('metadata.a');
    expect((await admin.call('POST', '/v1/workspaces', '{not json')).body.error).toMatchObject({ code: 'invalid_json', param: 'body' });
    expect((await admin.call('POST', '/v1/workspaces')).body.error).toMatchObject({ param: 'body' });
    expect((await admin.call('GET', '/v1/workspaces?limit=0')).body.error).toMatchObject({ param: 'limit' });
    expect((await admin.call('GET', '/v1/workspaces?cursor=garbage')).body.error).toMatchObject({ param: 'cursor', code: 'invalid_cursor' });
  });

  it('refuses to delete a workspace still used by a key, a virtual key or a principal (409)', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'busy', name: 'Busy' });
    const key = await admin.call('POST', '/v1/keys', { workspace_id: 'busy', name: 'k' });
    const refused = await admin.call('DELETE', '/v1/workspaces/busy');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('workspace_in_use');
    expect(refused.body.error.message).toContain(key.body.id);

    // The refusal left the workspace usable.
    expect((await admin.call('PATCH', '/v1/workspaces/busy', { name: 'Still busy' })).status).toBe(200);
    await admin.control.delete('api-key-id', key.body.id);
    for (const item of (await admin.control.list('api-key')).items) await admin.control.delete('api-key', item.id);

    await admin.call('POST', '/v1/virtual-keys', { id: 'vk', workspace_id: 'busy', name: 'v', provider: 'openai', secret: 'sk-1' });
    expect((await admin.call('DELETE', '/v1/workspaces/busy')).body.error.message).toContain('virtual key vk');
    await admin.call('DELETE', '/v1/virtual-keys/vk');

    await admin.call('POST', '/v1/principals', { id: 'p', workspace_id: 'busy', name: 'p', arn_pattern: 'arn:aws:iam::123456789012:role/x' });
    expect((await admin.call('DELETE', '/v1/workspaces/busy')).body.error.message).toContain('principal p');
    await admin.call('DELETE', '/v1/principals/p');

    expect((await admin.call('DELETE', '/v1/workspaces/busy')).status).toBe(204);
  });

  it('makes a key created while its workspace is being deleted back out (409)', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'going', name: 'Going' });
    const item = await admin.control.get('workspace', 'going');
    if (item === undefined) throw new Error('workspace missing');
    // What a concurrent delete does first: mark the workspace.
    await admin.control.putIfVersion({ kind: 'workspace', id: 'going', data: { ...item.data, deleting: true } }, item.version);
    const refused = await admin.call('POST', '/v1/keys', { workspace_id: 'going', name: 'k' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('workspace_deleting');
    expect((await admin.control.list('api-key')).items).toEqual([]);
  });

  it('references to a missing workspace are a 400 naming workspace_id', async () => {
    const admin = await createAdminHarness(dynamo);
    const answer = await admin.call('POST', '/v1/keys', { workspace_id: 'nowhere', name: 'k' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ param: 'workspace_id', code: 'workspace_not_found' });
  });
});
