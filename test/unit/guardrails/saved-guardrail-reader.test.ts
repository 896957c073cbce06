import { describe, expect, it, vi } from 'vitest';
import { InvalidConfigError } from '../../../shared/src/core/gateway-error.ts';
import { createSavedGuardrailReader } from '../../../shared/src/guardrails/saved-guardrail-reader.ts';
import { SAVED_GUARDRAIL_KIND, savedGuardrailData } from '../../../shared/src/guardrails/saved-guardrail-record.ts';
import type { ControlItem, ControlStore } from '../../../shared/src/ports/control-store.ts';

function storeWith(items: Record<string, ControlItem['data']>): ControlStore & { gets: number } {
  const store = {
    gets: 0,
    get: vi.fn(async (kind: string, id: string) => {
      store.gets += 1;
      const data = kind === SAVED_GUARDRAIL_KIND ? items[id] : undefined;
      return data === undefined ? undefined : { kind, id, data, version: 1, createdAt: 1, updatedAt: 1 };
    }),
    putIfAbsent: vi.fn(),
    putIfVersion: vi.fn(),
    delete: vi.fn(),
    list: vi.fn(),
  };
  return store as unknown as ControlStore & { gets: number };
}

const record = (id: string, checks: unknown, workspaceId?: string) =>
  savedGuardrailData({ id, name: id, workspaceId, checks: checks as never, actions: { deny: true, async: false }, createdAt: 1, updatedAt: 1 });

describe('createSavedGuardrailReader', () => {
  it('reads, validates and caches a saved guardrail for the TTL', async () => {
    const control = storeWith({ pii: record('pii', [{ id: 'default.regexMatch', parameters: { rule: '\\d{3}-\\d{2}-\\d{4}', not: true } }], 'team-a') });
    let now = 0;
    const reader = createSavedGuardrailReader({ control, clock: { now: () => now }, ttlMs: 1000 });
    const [first, second] = await Promise.all([reader.get('pii'), reader.get('pii')]);
    expect(first).toEqual({
      workspaceId: 'team-a',
      definition: {
        id: 'pii',
        deny: true,
        async: false,
        onFail: undefined,
        onSuccess: undefined,
        checks: [{ id: 'default.regexMatch', name: 'regexMatch', parameters: { rule: '\\d{3}-\\d{2}-\\d{4}', not: true }, enabled: true }],
      },
    });
    expect(second).toBe(first);
    expect(control.gets).toBe(1);
    now = 1001;
    await reader.get('pii');
    expect(control.gets).toBe(2);
  });

  it('answers undefined for an id that is not stored', async () => {
    const reader = createSavedGuardrailReader({ control: storeWith({}), clock: { now: () => 0 } });
    await expect(reader.get('absent')).resolves.toBeUndefined();
  });

  it('refuses a stored guardrail that no longer validates, and does not keep the failure', async () => {
    const control = storeWith({ old: record('old', [{ id: 'default.webhook', parameters: { webhookURL: 'https://x' } }]) });
    const reader = createSavedGuardrailReader({ control, clock: { now: () => 0 } });
    const error = await reader.get('old').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidConfigError);
    expect((error as Error).message).toMatch(/^Saved guardrail "old" is invalid: checks\[0\]\.id: unknown guardrail check "default.webhook"/);
    await reader.get('old').catch(() => undefined);
    expect(control.gets).toBe(2);
  });
});
