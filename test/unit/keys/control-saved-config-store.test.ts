import { describe, expect, it } from 'vitest';
import type { ControlItem, ControlStore } from '../../../shared/src/ports/control-store.ts';
import { createControlSavedConfigStore } from '../../../shared/src/keys/control-saved-config-store.ts';
import { FakeClock } from '../../support/fake-clock.ts';

/** A ControlStore that only answers `get`, counting the reads. */
function controlWith(items: Record<string, ControlItem['data']>, fail = false) {
  const reads: string[] = [];
  const control = {
    async get(kind: string, id: string) {
      reads.push(`${kind}/${id}`);
      if (fail) throw new Error('store down');
      const data = items[id];
      return data === undefined ? undefined : { kind, id, data, version: 1, createdAt: 0, updatedAt: 0 };
    },
  } as unknown as ControlStore;
  return { control, reads };
}

describe('createControlSavedConfigStore', () => {
  it('reads data.config of the `config` item with that id', async () => {
    const { control, reads } = controlWith({ prod: { config: { strategy: { mode: 'fallback' } }, name: 'Production' } });
    const store = createControlSavedConfigStore({ control });
    expect(await store.get('prod')).toEqual({ strategy: { mode: 'fallback' } });
    expect(await store.get('missing')).toBeUndefined();
    expect(reads).toEqual(['config/prod', 'config/missing']);
  });

  it('reuses an answer, found or not, for ttlMs, and shares concurrent reads', async () => {
    const clock = new FakeClock();
    const { control, reads } = controlWith({ prod: { config: { provider: 'openai' } } });
    const store = createControlSavedConfigStore({ control, clock, ttlMs: 1000 });
    await Promise.all([store.get('prod'), store.get('prod'), store.get('nope')]);
    clock.current += 999;
    await store.get('prod');
    await store.get('nope');
    expect(reads).toEqual(['config/prod', 'config/nope']);
    clock.current += 1;
    await store.get('prod');
    expect(reads).toEqual(['config/prod', 'config/nope', 'config/prod']);
  });

  it('does not keep a failed read', async () => {
    const { control, reads } = controlWith({}, true);
    const store = createControlSavedConfigStore({ control });
    await expect(store.get('prod')).rejects.toThrow('store down');
    await expect(store.get('prod')).rejects.toThrow('store down');
    expect(reads).toHaveLength(2);
  });
});
