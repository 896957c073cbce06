import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';
import { createAdminHarness } from './admin-harness.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describe('admin principals', () => {
  it('registers, reads, lists, updates and deletes an IAM principal', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'ws', name: 'ws' });
    const created = await admin.call('POST', '/v1/principals', {
      id: 'svc',
      workspace_id: 'ws',
      name: 'Service roles',
      arn_pattern: 'arn:aws:iam::123456789012:role/svc-*',
      scopes: { providers: ['bedrock'] },
      default_config: 'prod',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: 'svc',
      workspace_id: 'ws',
      name: 'Service roles',
      arn_pattern: 'arn:aws:iam::123456789012:role/svc-*',
      scopes: { providers: ['bedrock'] },
      metadata: {},
      default_config: 'prod',
      rate_limit_id: null,
      budget_id: null,
    });
    expect((await admin.call('GET', '/v1/principals/svc')).body).toEqual(created.body);
    expect((await admin.call('GET', '/v1/principals?workspace_id=ws')).body.data).toEqual([created.body]);
    expect((await admin.call('GET', '/v1/principals?workspace_id=other')).body).toEqual({ data: [], next_cursor: null });

    const patched = await admin.call('PATCH', '/v1/principals/svc', { arn_pattern: 'arn:aws:iam::123456789012:role/svc-a', default_config: null });
    expect(patched.body).toMatchObject({ arn_pattern: 'arn:aws:iam::123456789012:role/svc-a', default_config: null });
    const taken = await admin.call('POST', '/v1/principals', { id: 'svc', workspace_id: 'ws', name: 'again', arn_pattern: 'arn:aws:iam::123456789012:role/y' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('principal_exists');
    expect((await admin.call('DELETE', '/v1/principals/svc')).status).toBe(204);
    expect((await admin.call('DELETE', '/v1/principals/svc')).status).toBe(404);
    const actions = (await admin.call('GET', '/v1/audit?resource_kind=principal')).body.data.map((record: { action: string }) => record.action);
    expect(actions).toEqual(['delete', 'update', 'create']);
  });

  it('rejects a malformed ARN pattern with a 400 naming arn_pattern', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'ws', name: 'ws' });
    const answer = await admin.call('POST', '/v1/principals', { id: 'p', workspace_id: 'ws', name: 'p', arn_pattern: 'role/svc' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('arn_pattern');
    expect((await admin.call('PATCH', '/v1/principals/p', { arn_pattern: 'nope' })).body.error.param).toBe('arn_pattern');
  });
});
