import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';
import { type AdminHarness, createAdminHarness } from './admin-harness.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

const SECRET = 'sk-live-virtual-key-secret-1';
const NEW_SECRET = 'sk-live-virtual-key-secret-2';

async function withWorkspace(): Promise<AdminHarness> {
  const admin = await createAdminHarness(dynamo);
  await admin.call('POST', '/v1/workspaces', { id: 'ws', name: 'ws' });
  return admin;
}

describe('admin virtual keys', () => {
  it('keeps the secret in the vault under the slug, never in the record, a response or the audit', async () => {
    const admin = await withWorkspace();
    const created = await admin.call('POST', '/v1/virtual-keys', {
      id: 'openai-prod',
      workspace_id: 'ws',
      name: 'OpenAI prod',
      provider: 'openai',
      secret: SECRET,
      allowed_models: ['gpt-4o-mini'],
      options: { organization: 'org-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'openai-prod',
      workspace_id: 'ws',
      name: 'OpenAI prod',
      provider: 'openai',
      allowed_models: ['gpt-4o-mini'],
      options: { organization: 'org-1' },
      status: 'active',
      budget_id: null,
      created_at: expect.any(String),
      rotated_at: null,
      last_used_at: null,
    });
    expect(await admin.vault.get('openai-prod')).toBe(SECRET);
    expect(JSON.stringify((await admin.control.get('virtual-key', 'openai-prod'))?.data)).not.toContain(SECRET);

    const rotated = await admin.call('POST', '/v1/virtual-keys/openai-prod/rotate', { secret: NEW_SECRET });
    expect(rotated.body.rotated_at).toEqual(expect.any(String));
    expect(await admin.vault.get('openai-prod')).toBe(NEW_SECRET);

    const texts = [
      created.text,
      rotated.text,
      (await admin.call('GET', '/v1/virtual-keys/openai-prod')).text,
      (await admin.call('GET', '/v1/virtual-keys')).text,
      (await admin.call('GET', '/v1/audit')).text,
      JSON.stringify(await admin.auditItems()),
    ];
    for (const text of texts) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(NEW_SECRET);
    }
  });

  it('disables, enables, edits and deletes (the vault secret too)', async () => {
    const admin = await withWorkspace();
    await admin.call('POST', '/v1/virtual-keys', { id: 'vk', workspace_id: 'ws', name: 'v', provider: 'anthropic', secret: SECRET });
    expect((await admin.call('POST', '/v1/virtual-keys/vk/disable')).body.status).toBe('disabled');
    expect((await admin.call('POST', '/v1/virtual-keys/vk/enable')).body.status).toBe('active');
    const patched = await admin.call('PATCH', '/v1/virtual-keys/vk', { name: 'renamed', allowed_models: ['claude-*'] });
    expect(patched.body).toMatchObject({ name: 'renamed', allowed_models: ['claude-*'] });
    expect((await admin.call('PATCH', '/v1/virtual-keys/vk', { allowed_models: null })).body.allowed_models).toBeNull();
    expect((await admin.call('DELETE', '/v1/virtual-keys/vk')).status).toBe(204);
    expect(await admin.vault.get('vk')).toBeUndefined();
    expect((await admin.call('GET', '/v1/virtual-keys/vk')).status).toBe(404);
    const actions = (await admin.call('GET', '/v1/audit?resource_kind=virtual-key&resource_id=vk')).body.data.map((record: { action: string }) => record.action);
    expect(actions).toEqual(['delete', 'update', 'update', 'enable', 'disable', 'create']);
  });

  it('sets, changes and removes a virtual key\'s budget', async () => {
    const admin = await withWorkspace();
    const created = await admin.call('POST', '/v1/virtual-keys', { id: 'vk', workspace_id: 'ws', name: 'v', provider: 'openai', secret: SECRET, budget_id: 'team-a' });
    expect(created.body.budget_id).toBe('team-a');
    expect((await admin.control.get('virtual-key', 'vk'))?.data).toMatchObject({ budgetId: 'team-a' });
    expect((await admin.call('PATCH', '/v1/virtual-keys/vk', { budget_id: 'team-b' })).body.budget_id).toBe('team-b');
    expect((await admin.call('GET', '/v1/virtual-keys/vk')).body.budget_id).toBe('team-b');
    expect((await admin.call('PATCH', '/v1/virtual-keys/vk', { name: 'renamed' })).body.budget_id).toBe('team-b');
    expect((await admin.call('PATCH', '/v1/virtual-keys/vk', { budget_id: null })).body.budget_id).toBeNull();
    expect((await admin.control.get('virtual-key', 'vk'))?.data).not.toHaveProperty('budgetId');
    const invalid = await admin.call('PATCH', '/v1/virtual-keys/vk', { budget_id: 'no/slashes' });
    expect([invalid.status, invalid.body.error.param]).toEqual([400, 'budget_id']);
  });

  it('refuses a taken id without touching the existing secret', async () => {
    const admin = await withWorkspace();
    await admin.call('POST', '/v1/virtual-keys', { id: 'vk', workspace_id: 'ws', name: 'v', provider: 'openai', secret: SECRET });
    const again = await admin.call('POST', '/v1/virtual-keys', { id: 'vk', workspace_id: 'ws', name: 'v', provider: 'openai', secret: NEW_SECRET });
    expect(again.status).toBe(409);
    expect(await admin.vault.get('vk')).toBe(SECRET);
  });

  it('checks the Bedrock credential shape without echoing the secret', async () => {
    const admin = await withWorkspace();
    const bad = await admin.call('POST', '/v1/virtual-keys', { id: 'bedrock', workspace_id: 'ws', name: 'b', provider: 'bedrock', secret: SECRET });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('secret');
    expect(bad.text).not.toContain(SECRET);
    const good = await admin.call('POST', '/v1/virtual-keys', {
      id: 'bedrock',
      workspace_id: 'ws',
      name: 'b',
      provider: 'bedrock',
      secret: JSON.stringify({ aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 'wJalr/EXAMPLE' }),
      options: { aws_region: 'eu-west-1' },
    });
    expect(good.status).toBe(201);
  });

  it('keeps credentials out of options and validates the slug', async () => {
    const admin = await withWorkspace();
    const inOptions = await admin.call('POST', '/v1/virtual-keys', {
      id: 'vk',
      workspace_id: 'ws',
      name: 'v',
      provider: 'openai',
      secret: SECRET,
      options: { api_key: 'sk-other' },
    });
    expect(inOptions.body.error).toMatchObject({ param: 'options.api_key' });
    expect(inOptions.text).not.toContain('sk-other');
    expect((await admin.call('POST', '/v1/virtual-keys', { id: 'a/b', workspace_id: 'ws', name: 'v', provider: 'openai', secret: SECRET })).body.error.param).toBe('id');
    expect((await admin.call('POST', '/v1/virtual-keys', { id: 'vk', workspace_id: 'ws', name: 'v', provider: 'openai', secret: '' })).body.error.param).toBe('secret');
    expect((await admin.call('POST', '/v1/virtual-keys/vk/rotate', {})).body.error).toMatchObject({ param: 'secret' });
    expect((await admin.call('POST', '/v1/virtual-keys/missing/rotate', { secret: 'x' })).status).toBe(404);
  });
});
