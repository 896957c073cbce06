import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlSavedConfigStore } from '../../../shared/src/keys/control-saved-config-store.ts';
import { saveConfigVersion } from '../../../shared/src/keys/saved-config-writes.ts';
import { type TestDynamo, startTestDynamo } from '../../support/start-test-dynamo.ts';
import { createAdminHarness } from './admin-harness.ts';

let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startTestDynamo();
});
afterAll(() => dynamo.close());

const FIRST = { strategy: { mode: 'fallback' }, targets: [{ virtual_key: 'openai-prod' }, { virtual_key: 'anthropic-prod' }] };
const SECOND = { virtual_key: 'openai-prod', retry: { attempts: 2 } };

describe('admin saved configs', () => {
  it('writes versions, serves the current one to the gateway, and rolls back', async () => {
    const admin = await createAdminHarness(dynamo);
    const gatewayView = createControlSavedConfigStore({ control: admin.control, ttlMs: 0 });

    const created = await admin.call('PUT', '/v1/configs/prod', { config: FIRST });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'prod', workspace_id: null, current_version: 1, latest_version: 1, config: FIRST });
    const updated = await admin.call('PUT', '/v1/configs/prod', { config: SECOND });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ current_version: 2, latest_version: 2, config: SECOND });
    expect(await gatewayView.get('prod')).toEqual(SECOND);

    const versions = await admin.call('GET', '/v1/configs/prod/versions');
    expect(versions.body.data.map((version: { version: number; current: boolean }) => [version.version, version.current])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect((await admin.call('GET', '/v1/configs/prod?version=1')).body).toMatchObject({ id: 'prod', version: 1, config: FIRST, current: false });

    const rolledBack = await admin.call('POST', '/v1/configs/prod/rollback', { version: 1 });
    expect(rolledBack.body).toEqual({ id: 'prod', workspace_id: null, current_version: 1, latest_version: 2, config: FIRST });
    expect(await gatewayView.get('prod')).toEqual(FIRST);
    expect((await admin.call('GET', '/v1/configs/prod')).body).toEqual(rolledBack.body);

    const third = await admin.call('PUT', '/v1/configs/prod', { config: SECOND });
    expect(third.body).toMatchObject({ current_version: 3, latest_version: 3 });

    const actions = (await admin.call('GET', '/v1/audit?resource_kind=config&resource_id=prod')).body.data.map((record: { action: string }) => record.action);
    expect(actions).toEqual(['update', 'rollback', 'update', 'create']);
  });

  it('validates the config like x-portkey-config, naming the path in param', async () => {
    const admin = await createAdminHarness(dynamo);
    const answer = await admin.call('PUT', '/v1/configs/bad', { config: { targets: [{}, { retry: { attempts: '3' } }] } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'invalid_config', param: 'config.targets[1].retry.attempts' });
    expect((await admin.call('PUT', '/v1/configs/bad', { config: 'x' })).body.error.param).toBe('config');
    expect((await admin.call('PUT', '/v1/configs/bad', {})).body.error.param).toBe('config');
    expect((await admin.call('PUT', '/v1/configs/bad%23x', { config: {} })).body.error.param).toBe('id');
    expect((await admin.call('GET', '/v1/configs/bad')).status).toBe(404);
  });

  it('refuses provider credentials inside a saved config', async () => {
    const admin = await createAdminHarness(dynamo);
    const answer = await admin.call('PUT', '/v1/configs/inline', { config: { targets: [{ provider: 'openai', api_key: 'sk-inline-secret' }] } });
    expect(answer.status).toBe(400);
    expect(answer.body.error.param).toBe('config.targets[0].api_key');
    expect(answer.text).not.toContain('sk-inline-secret');
    expect(await admin.control.get('config', 'inline')).toBeUndefined();
  });

  it('refuses a config that names a saved guardrail which does not exist, or lives in another workspace', async () => {
    const admin = await createAdminHarness(dynamo);
    const guarded = { input_guardrails: ['no-secrets'], targets: [{ virtual_key: 'a' }, { virtual_key: 'b', output_guardrails: ['short'] }] };
    const missing = await admin.call('PUT', '/v1/configs/guarded', { config: guarded });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'guardrail_not_found', param: 'config.input_guardrails[0]' });
    expect(await admin.control.get('config', 'guarded')).toBeUndefined();

    const checks = [{ id: 'default.regexMatch', parameters: { rule: 'secret', not: true } }];
    expect((await admin.call('PUT', '/v1/guardrails/no-secrets', { checks, actions: { deny: true } })).status).toBe(201);
    const nested = await admin.call('PUT', '/v1/configs/guarded', { config: guarded });
    expect(nested.body.error).toMatchObject({ code: 'guardrail_not_found', param: 'config.targets[1].output_guardrails[0]' });
    await admin.call('POST', '/v1/workspaces', { id: 'team-a', name: 'Team A' });
    await admin.call('POST', '/v1/workspaces', { id: 'team-b', name: 'Team B' });
    expect((await admin.call('PUT', '/v1/guardrails/short', { checks: [{ id: 'default.wordCount', parameters: { maxWords: 50 } }], workspace_id: 'team-a' })).status).toBe(201);
    expect((await admin.call('PUT', '/v1/configs/guarded', { config: guarded, workspace_id: 'team-b' })).body.error).toMatchObject({ param: 'config.targets[1].output_guardrails[0]' });
    expect((await admin.call('PUT', '/v1/configs/guarded', { config: guarded, workspace_id: 'team-a' })).status).toBe(201);
  });

  it('keeps a config in its workspace and checks the workspace exists', async () => {
    const admin = await createAdminHarness(dynamo);
    expect((await admin.call('PUT', '/v1/configs/c', { config: {}, workspace_id: 'ws' })).body.error).toMatchObject({ param: 'workspace_id' });
    await admin.call('POST', '/v1/workspaces', { id: 'ws', name: 'ws' });
    await admin.call('POST', '/v1/workspaces', { id: 'other', name: 'other' });
    expect((await admin.call('PUT', '/v1/configs/c', { config: {}, workspace_id: 'ws' })).body.workspace_id).toBe('ws');
    expect((await admin.call('PUT', '/v1/configs/c', { config: {} })).body.workspace_id).toBe('ws');
    expect((await admin.call('PUT', '/v1/configs/c', { config: {}, workspace_id: 'other' })).body.error).toMatchObject({ param: 'workspace_id' });
  });

  it('rejects a rollback to a version that does not exist, and deletes every version', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('PUT', '/v1/configs/c', { config: FIRST });
    expect((await admin.call('POST', '/v1/configs/c/rollback', { version: 9 })).body.error).toMatchObject({ param: 'version', code: 'config_version_not_found' });
    expect((await admin.call('POST', '/v1/configs/c/rollback', { version: 0 })).body.error.param).toBe('version');
    expect((await admin.call('POST', '/v1/configs/missing/rollback', { version: 1 })).status).toBe(404);
    expect((await admin.call('GET', '/v1/configs/c?version=7')).status).toBe(404);
    expect((await admin.call('GET', '/v1/configs/c?version=x')).body.error.param).toBe('version');
    expect((await admin.call('DELETE', '/v1/configs/c')).status).toBe(204);
    expect((await admin.control.list('config-version')).items).toEqual([]);
    expect((await admin.call('DELETE', '/v1/configs/c')).status).toBe(404);
  });

  it('retries a save that lost the race for its version number once, and answers 409 after a second loss', async () => {
    const admin = await createAdminHarness(dynamo);
    await admin.call('PUT', '/v1/configs/raced', { config: FIRST });
    const control = admin.control;
    const putIfAbsent = control.putIfAbsent.bind(control);
    let concurrentSaves = 1;
    // Another admin saves a whole version between our read of the head and our write.
    control.putIfAbsent = async (input) => {
      if (input.kind === 'config-version' && concurrentSaves > 0) {
        concurrentSaves -= 1;
        await saveConfigVersion({ control: { ...control, putIfAbsent }, vault: admin.vault, clock: admin.clock }, 'raced', { provider: 'other' });
      }
      return putIfAbsent(input);
    };
    const retried = await admin.call('PUT', '/v1/configs/raced', { config: SECOND });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ current_version: 3, latest_version: 3, config: SECOND });

    concurrentSaves = 2;
    const refused = await admin.call('PUT', '/v1/configs/raced', { config: SECOND });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('version_conflict');
    control.putIfAbsent = putIfAbsent;
  });
});
