import { describe, expect, it } from 'vitest';
import { createDnsHostResolver, type LookupAll } from '../../../../shared/src/adapters/node/dns-host-resolver.ts';

/** A lookup over a table that counts queries, so caching is observable without DNS. */
function countingLookup(table: Record<string, string[]>): LookupAll & { calls: string[] } {
  const calls: string[] = [];
  const lookup = (hostname: string) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (addresses === undefined) {
      return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
    }
    return Promise.resolve(addresses.map((address) => ({ address })));
  };
  return Object.assign(lookup, { calls });
}

function manualClock(start = 1_000) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe('createDnsHostResolver', () => {
  it('resolves localhost through the operating system to loopback addresses', async () => {
    const addresses = await createDnsHostResolver().resolve('localhost');
    expect(addresses.length).toBeGreaterThan(0);
    for (const address of addresses) expect(['127.0.0.1', '::1']).toContain(address);
  });

  it('returns IP literals as they are without a lookup', async () => {
    const lookup = countingLookup({});
    const resolver = createDnsHostResolver({ lookup });
    expect(await resolver.resolve('10.0.0.1')).toEqual(['10.0.0.1']);
    expect(await resolver.resolve('::1')).toEqual(['::1']);
    expect(await resolver.resolve('[fe80::1]')).toEqual(['fe80::1']);
    expect(lookup.calls).toEqual([]);
  });

  it('returns every address of a name', async () => {
    const lookup = countingLookup({ 'multi.test': ['93.184.215.14', '10.0.0.7', '2001:db8::1'] });
    expect(await createDnsHostResolver({ lookup }).resolve('multi.test')).toEqual(['93.184.215.14', '10.0.0.7', '2001:db8::1']);
  });

  it('reuses an answer within the TTL and asks again after it', async () => {
    const lookup = countingLookup({ 'a.test': ['93.184.215.14'] });
    const clock = manualClock();
    const resolver = createDnsHostResolver({ lookup, clock, ttlMs: 1_000 });
    await resolver.resolve('a.test');
    clock.advance(999);
    await resolver.resolve('A.TEST');
    expect(lookup.calls).toEqual(['a.test']);
    clock.advance(1);
    await resolver.resolve('a.test');
    expect(lookup.calls).toEqual(['a.test', 'a.test']);
  });

  it('keeps answers for 30 seconds by default', async () => {
    const lookup = countingLookup({ 'a.test': ['93.184.215.14'] });
    const clock = manualClock();
    const resolver = createDnsHostResolver({ lookup, clock });
    await resolver.resolve('a.test');
    clock.advance(29_999);
    await resolver.resolve('a.test');
    expect(lookup.calls).toHaveLength(1);
    clock.advance(1);
    await resolver.resolve('a.test');
    expect(lookup.calls).toHaveLength(2);
  });

  it('shares one query between concurrent look-ups of a name', async () => {
    const lookup = countingLookup({ 'a.test': ['93.184.215.14'] });
    const resolver = createDnsHostResolver({ lookup });
    const answers = await Promise.all([resolver.resolve('a.test'), resolver.resolve('a.test'), resolver.resolve('a.test')]);
    expect(answers).toEqual([['93.184.215.14'], ['93.184.215.14'], ['93.184.215.14']]);
    expect(lookup.calls).toHaveLength(1);
  });

  it('does not keep failures', async () => {
    const table: Record<string, string[]> = {};
    const lookup = countingLookup(table);
    const resolver = createDnsHostResolver({ lookup });
    await expect(resolver.resolve('late.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    table['late.test'] = ['93.184.215.14'];
    expect(await resolver.resolve('late.test')).toEqual(['93.184.215.14']);
    expect(lookup.calls).toHaveLength(2);
  });

  it('drops the oldest names beyond its size bound', async () => {
    const lookup = countingLookup({ 'a.test': ['1.1.1.1'], 'b.test': ['1.1.1.2'], 'c.test': ['1.1.1.3'] });
    const resolver = createDnsHostResolver({ lookup, maxEntries: 2 });
    await resolver.resolve('a.test');
    await resolver.resolve('b.test');
    await resolver.resolve('c.test');
    await resolver.resolve('c.test');
    await resolver.resolve('b.test');
    expect(lookup.calls).toEqual(['a.test', 'b.test', 'c.test']);
    await resolver.resolve('a.test');
    expect(lookup.calls).toEqual(['a.test', 'b.test', 'c.test', 'a.test']);
  });
});
