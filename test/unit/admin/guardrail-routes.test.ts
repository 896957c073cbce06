import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSavedGuardrailReader } from '../../../shared/src/guardrails/saved-guardrail-reader.ts';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';
import { createAdminHarness } from './admin-harness.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

const NO_PII = {
  name: 'No SSNs',
  checks: [{ id: 'default.regexMatch', parameters: { rule: '\\d{3}-\\d{2}-\\d{4}', not: true } }],
  actions: { deny: true, on_fail: { feedback: { value: -1 } } },
};

describe('admin saved guardrails', () => {
  it('creates, shows, lists, replaces and deletes a guardrail the gateway then reads by id', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'ws', name: 'ws' });
    const gatewayView = createSavedGuardrailReader({ control: admin.control, clock: admin.clock, ttlMs: 0 });

    const created = await admin.call('PUT', '/v1/guardrails/no-pii', { ...NO_PII, workspace_id: 'ws' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'no-pii',
      name: 'No SSNs',
      workspace_id: 'ws',
      checks: NO_PII.checks,
      actions: { deny: true, async: false, on_fail: { feedback: { value: -1 } }, on_success: null },
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(await gatewayView.get('no-pii')).toMatchObject({ workspaceId: 'ws', definition: { id: 'no-pii', deny: true, onFail: { value: -1, weight: 1 } } });
    expect((await admin.call('GET', '/v1/guardrails/no-pii')).body).toEqual(created.body);

    const replaced = await admin.call('PUT', '/v1/guardrails/no-pii', { checks: [{ id: 'default.wordCount', parameters: { maxWords: 100 } }] });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ name: 'No SSNs', workspace_id: 'ws', actions: { deny: false, async: false }, created_at: created.body.created_at });
    expect((await gatewayView.get('no-pii'))?.definition.checks.map((check) => check.name)).toEqual(['wordCount']);

    await admin.call('PUT', '/v1/guardrails/global', NO_PII);
    expect((await admin.call('GET', '/v1/guardrails')).body.data.map((item: { id: string }) => item.id)).toEqual(['global', 'no-pii']);
    expect((await admin.call('GET', '/v1/guardrails?workspace_id=ws')).body.data.map((item: { id: string }) => item.id)).toEqual(['no-pii']);

    expect((await admin.call('DELETE', '/v1/guardrails/no-pii')).status).toBe(204);
    expect((await admin.call('GET', '/v1/guardrails/no-pii')).status).toBe(404);
    expect(await gatewayView.get('no-pii')).toBeUndefined();
    const audit = (await admin.call('GET', '/v1/audit?resource_kind=guardrail&resource_id=no-pii')).body.data.map((record: { action: string }) => record.action);
    expect(audit).toEqual(['delete', 'update', 'create']);
  });

  it('refuses checks the gateway would refuse, naming the field', async () => {
    const admin = await createAdminHarness(dynamo);
    const unknown = await admin.call('PUT', '/v1/guardrails/g', { checks: [{ id: 'aporia.validateProject', parameters: {} }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.param).toBe('checks[0].id');
    expect(unknown.body.error.message).toMatch(/^checks\[0\]\.id: unknown guardrail check "aporia.validateProject": partner and hosted checks/);
    const badRegex = await admin.call('PUT', '/v1/guardrails/g', { checks: [{ id: 'default.regexMatch', parameters: { rule: '(a*)*b' } }] });
    expect(badRegex.body.error).toMatchObject({ param: 'checks[0].parameters.rule', message: expect.stringContaining('catastrophic backtracking') });
    const noChecks = await admin.call('PUT', '/v1/guardrails/g', { checks: [] });
    expect(noChecks.body.error).toMatchObject({ param: 'checks', message: 'checks: expected at least 1 item' });
    const badAction = await admin.call('PUT', '/v1/guardrails/g', { checks: [{ id: 'default.notNull' }], actions: { onFail: 'block' } });
    expect(badAction.body.error).toMatchObject({ param: 'actions.onFail', message: 'actions.onFail: unknown key' });
    expect((await admin.call('PUT', '/v1/guardrails/bad%2Fid', { checks: [{ id: 'default.notNull' }] })).status).toBe(400);
    expect((await admin.call('PUT', '/v1/guardrails/g', { checks: [{ id: 'default.notNull' }], workspace_id: 'nope' })).body.error.code).toBe('workspace_not_found');
  });

  it('keeps a guardrail in its workspace', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'a', name: 'a' });
    await admin.call('POST', '/v1/workspaces', { id: 'b', name: 'b' });
    await admin.call('PUT', '/v1/guardrails/g', { ...NO_PII, workspace_id: 'a' });
    const moved = await admin.call('PUT', '/v1/guardrails/g', { ...NO_PII, workspace_id: 'b' });
    expect(moved.status).toBe(400);
    expect(moved.body.error.param).toBe('workspace_id');
  });
});
