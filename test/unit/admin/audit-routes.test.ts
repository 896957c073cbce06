import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditId } from '../../../shared/src/admin/audit-log.ts';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';
import { createAdminHarness } from './admin-harness.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

describe('admin audit log', () => {
  it('sorts ids newest first', () => {
    expect(auditId(2_000).localeCompare(auditId(1_000))).toBeLessThan(0);
    expect(auditId(1_700_000_000_000)).toMatch(/^\d{13}-[0-9a-f]{12}$/);
  });

  it('lists every change newest first, page by page, with who, what and when', async () => {
    const admin = await createAdminHarness(dynamo);
    for (let index = 0; index < 7; index++) await admin.call('POST', '/v1/workspaces', { id: `ws-${index}`, name: `W${index}` });
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { body: { data: { resource_id: string }[]; next_cursor: string | null } } = await admin.call(
        'GET',
        `/v1/audit?limit=3${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      expect(page.body.data.length).toBeLessThanOrEqual(3);
      ids.push(...page.body.data.map((record) => record.resource_id));
      cursor = page.body.next_cursor;
      pages += 1;
    } while (cursor !== null);
    expect(ids).toEqual(['ws-6', 'ws-5', 'ws-4', 'ws-3', 'ws-2', 'ws-1', 'ws-0']);
    expect(pages).toBeGreaterThanOrEqual(3);

    const [newest] = (await admin.call('GET', '/v1/audit?limit=1')).body.data;
    expect(newest).toEqual({
      id: expect.stringMatching(/^\d{13}-/),
      at: expect.stringMatching(/^2025-06-01T00:00:00\.\d{3}Z$/),
      actor: 'local-admin',
      action: 'create',
      resource_kind: 'workspace',
      resource_id: 'ws-6',
      before: null,
      after: expect.objectContaining({ id: 'ws-6', name: 'W6' }),
    });
  });

  it('filters by resource kind and id, and rejects an unknown kind', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'ws', name: 'ws' });
    await admin.call('PUT', '/v1/configs/c1', { config: {} });
    await admin.call('PUT', '/v1/configs/c2', { config: {} });
    await admin.call('PATCH', '/v1/workspaces/ws', { name: 'renamed' });
    const configs = (await admin.call('GET', '/v1/audit?resource_kind=config')).body.data;
    expect(configs.map((record: { resource_id: string }) => record.resource_id)).toEqual(['c2', 'c1']);
    const one = (await admin.call('GET', '/v1/audit?resource_id=ws')).body.data;
    expect(one.map((record: { action: string }) => record.action)).toEqual(['update', 'create']);
    const bad = await admin.call('GET', '/v1/audit?resource_kind=keys');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('resource_kind');
  });

  it('writes no audit record for a request that changed nothing', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('POST', '/v1/workspaces', { id: 'bad id', name: 'x' });
    await admin.call('GET', '/v1/workspaces');
    await admin.call('PATCH', '/v1/workspaces/missing', { name: 'x' });
    expect(await admin.auditItems()).toEqual([]);
  });
});
