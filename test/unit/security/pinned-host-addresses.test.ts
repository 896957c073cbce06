import { describe, expect, it } from 'vitest';
import { pinnedAddressesOf, withPinnedHost } from '../../../shared/src/security/pinned-host-addresses.ts';

describe('pinned host addresses', () => {
  it('answers for the pinned name only, inside the call only, and keeps concurrent calls apart', async () => {
    const seen: (readonly string[] | undefined)[] = [];
    const read = async (name: string): Promise<void> => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(pinnedAddressesOf(name));
    };
    await Promise.all([
      withPinnedHost({ hostname: 'a.example.com', addresses: ['203.0.113.1'] }, () => read('A.example.com.')),
      withPinnedHost({ hostname: 'b.example.com', addresses: ['203.0.113.2'] }, () => read('b.example.com')),
      withPinnedHost(undefined, () => read('a.example.com')),
      withPinnedHost({ hostname: 'c.example.com', addresses: ['203.0.113.3'] }, () => read('other.example.com')),
    ]);
    expect(seen).toHaveLength(4);
    expect(seen).toEqual(expect.arrayContaining([['203.0.113.1'], ['203.0.113.2'], undefined, undefined]));
    expect(pinnedAddressesOf('a.example.com')).toBeUndefined();
  });
});
