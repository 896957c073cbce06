import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Clock } from '../../ports/clock.ts';
import type { HostResolver } from '../../ports/host-resolver.ts';

/** The slice of `dns.promises.lookup` the resolver needs, injectable for tests. */
export type LookupAll = (hostname: string, options: { all: true }) => Promise<{ address: string }[]>;

export interface DnsHostResolverOptions {
  /** How long an answer is reused. @default 30_000 */
  ttlMs?: number;
  /** Most host names kept; the oldest is dropped first. @default 500 */
  maxEntries?: number;
  lookup?: LookupAll;
  clock?: Pick<Clock, 'now'>;
}

interface CacheEntry {
  expiresAt: number;
  addresses: Promise<string[]>;
}

/**
 * A HostResolver on the operating system's resolver (`getaddrinfo`, so /etc/hosts counts),
 * returning every address of a name. Answers are kept for a short TTL, and concurrent
 * look-ups of one name share one query; failures are not kept. IP literals come back as-is.
 */
export function createDnsHostResolver(options: DnsHostResolverOptions = {}): HostResolver {
  const ttlMs = options.ttlMs ?? 30_000;
  const maxEntries = options.maxEntries ?? 500;
  const lookup: LookupAll = options.lookup ?? ((name, lookupOptions) => dnsLookup(name, lookupOptions));
  const clock = options.clock;
  const now = clock === undefined ? () => Date.now() : () => clock.now();
  const cache = new Map<string, CacheEntry>();

  return {
    resolve(hostname: string): Promise<string[]> {
      const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
      if (isIP(bare) !== 0) return Promise.resolve([bare]);
      const key = bare.toLowerCase();
      const cached = cache.get(key);
      if (cached !== undefined && cached.expiresAt > now()) return cached.addresses;
      cache.delete(key);

      const addresses = lookup(key, { all: true }).then((answers) => answers.map((answer) => answer.address));
      const entry: CacheEntry = { expiresAt: now() + ttlMs, addresses };
      cache.set(key, entry);
      addresses.catch(() => {
        if (cache.get(key) === entry) cache.delete(key);
      });
      // Map keeps insertion order, so the first key is the oldest entry.
      while (cache.size > maxEntries) {
        const oldest = cache.keys().next();
        if (oldest.done === true) break;
        cache.delete(oldest.value);
      }
      return addresses;
    },
  };
}
