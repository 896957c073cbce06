import { describe, expect, it } from 'vitest';
import { createAccessCache } from '../../../shared/src/keys/access-cache.ts';
import { FakeClock } from '../../support/fake-clock.ts';

function counting<T>(answers: Record<string, T>) {
  const loads: string[] = [];
  const load = (key: string) => async (): Promise<T | undefined> => {
    loads.push(key);
    return answers[key];
  };
  return { loads, load };
}

describe('createAccessCache', () => {
  it('reuses a found value for ttlMs, then reads again', async () => {
    const clock = new FakeClock();
    const cache = createAccessCache<string>({ clock, ttlMs: 1000 });
    const { loads, load } = counting({ a: 'A' });
    expect(await cache.get('a', load('a'))).toBe('A');
    clock.current += 999;
    expect(await cache.get('a', load('a'))).toBe('A');
    expect(loads).toEqual(['a']);
    clock.current += 1;
    await cache.get('a', load('a'));
    expect(loads).toEqual(['a', 'a']);
  });

  it('keeps "not found" for a shorter time', async () => {
    const clock = new FakeClock();
    const cache = createAccessCache<string>({ clock, ttlMs: 5000, negativeTtlMs: 200 });
    const { loads, load } = counting<string>({});
    expect(await cache.get('x', load('x'))).toBeUndefined();
    clock.current += 199;
    await cache.get('x', load('x'));
    expect(loads).toEqual(['x']);
    clock.current += 1;
    await cache.get('x', load('x'));
    expect(loads).toEqual(['x', 'x']);
  });

  it('defaults to 5 s (1 s for not found) and never keeps anything longer than 10 s', async () => {
    const clock = new FakeClock();
    const defaults = createAccessCache<string>({ clock });
    const capped = createAccessCache<string>({ clock, ttlMs: 60_000 });
    const { loads, load } = counting({ a: 'A' });
    await defaults.get('a', load('a'));
    await defaults.get('none', load('none'));
    await capped.get('a', load('a'));
    clock.current += 1000;
    await defaults.get('none', load('none'));
    clock.current += 4000;
    await defaults.get('a', load('a'));
    clock.current += 5000;
    await capped.get('a', load('a'));
    expect(loads).toEqual(['a', 'none', 'a', 'none', 'a', 'a']);
  });

  it('shares one load between concurrent callers', async () => {
    const cache = createAccessCache<string>({ clock: new FakeClock() });
    const { loads, load } = counting({ a: 'A' });
    const answers = await Promise.all([cache.get('a', load('a')), cache.get('a', load('a')), cache.get('a', load('a'))]);
    expect(answers).toEqual(['A', 'A', 'A']);
    expect(loads).toEqual(['a']);
  });

  it('does not keep a failed load', async () => {
    const cache = createAccessCache<string>({ clock: new FakeClock() });
    await expect(cache.get('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await Promise.resolve();
    expect(await cache.get('a', async () => 'A')).toBe('A');
  });

  it('holds at most maxEntries, dropping the oldest first', async () => {
    const cache = createAccessCache<string>({ clock: new FakeClock(), maxEntries: 2 });
    const { loads, load } = counting({ a: 'A', b: 'B', c: 'C' });
    for (const key of ['a', 'b', 'c']) await cache.get(key, load(key));
    expect(cache.size).toBe(2);
    await cache.get('c', load('c'));
    await cache.get('a', load('a'));
    expect(loads).toEqual(['a', 'b', 'c', 'a']);
  });

  it('forgets a key on delete', async () => {
    const cache = createAccessCache<string>({ clock: new FakeClock() });
    const { loads, load } = counting({ a: 'A' });
    await cache.get('a', load('a'));
    cache.delete('a');
    await cache.get('a', load('a'));
    expect(loads).toEqual(['a', 'a']);
  });
});
