import { cidrContains, parseCidr, type CidrRange } from './cidr.ts';
import type { IpAddress } from './ip-address.ts';
import { unmapIpv4 } from './ip-ranges.ts';

/** The operator's exceptions to the SSRF guard, parsed once. */
export interface HostAllowList {
  /** Whether a host name (lower case, no trailing dot) is allowed by name or suffix. */
  allowsName(hostname: string): boolean;
  /** Whether an address lies in one of the allowed ranges. */
  allowsAddress(address: IpAddress): boolean;
}

const hostnamePattern = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/**
 * Parses allow-list entries: CIDR ranges or single addresses (`10.0.0.0/8`, `::1/128`,
 * `192.168.1.5`, `[::1]`), exact host names (`ollama.internal`), and suffix patterns
 * (`*.example.internal`, which matches sub-domains but not `example.internal` itself).
 * Throws on an entry it cannot read: a typo in an operator setting must not pass unnoticed.
 */
export function parseHostAllowList(entries: readonly string[]): HostAllowList {
  const ranges: CidrRange[] = [];
  const names = new Set<string>();
  const suffixes: string[] = [];
  for (const rawEntry of entries) {
    const entry = rawEntry.trim().toLowerCase();
    const range = parseCidr(entry.startsWith('[') ? entry.replace(/^\[([^\]]*)\]/, '$1') : entry);
    if (range !== undefined) {
      ranges.push(range);
      continue;
    }
    const wildcard = entry.startsWith('*.');
    const name = stripTrailingDot(wildcard ? entry.slice(2) : entry);
    // An entry like `10.0.0.0/33` or `1.2.3.4.5` is a broken range, not a host name.
    if (!hostnamePattern.test(name) || entry.includes('/') || /^[0-9.]+$/.test(name)) {
      throw new Error(`Invalid host allow-list entry: ${JSON.stringify(rawEntry)}`);
    }
    if (wildcard) suffixes.push(`.${name}`);
    else names.add(name);
  }
  return {
    allowsName: (hostname) => names.has(hostname) || suffixes.some((suffix) => hostname.endsWith(suffix)),
    allowsAddress: (address) => {
      const unmapped = unmapIpv4(address);
      return ranges.some((range) => cidrContains(range, address) || cidrContains(range, unmapped));
    },
  };
}

/** `example.com.` and `example.com` name the same host. */
export function stripTrailingDot(hostname: string): string {
  return hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
}
