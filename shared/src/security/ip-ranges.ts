import { cidr, cidrContains, type CidrRange } from './cidr.ts';
import { ipv4At, type IpAddress } from './ip-address.ts';

/** Why an address is not on the public internet, or `public` when it is. */
export type AddressKind =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'carrier-grade-nat'
  | 'benchmarking'
  | 'multicast'
  | 'reserved';

interface SpecialRange {
  readonly range: CidrRange;
  readonly kind: Exclude<AddressKind, 'public'>;
}

function special(text: string, kind: SpecialRange['kind']): SpecialRange {
  return { range: cidr(text), kind };
}

// IANA IPv4 Special-Purpose Address Registry (RFC 6890 and successors), minus the
// documentation blocks (192.0.2/24, 198.51.100/24, 203.0.113/24), which route nowhere
// private and are harmless to call.
const ipv4Special: readonly SpecialRange[] = [
  special('0.0.0.0/8', 'unspecified'),
  special('10.0.0.0/8', 'private'),
  special('100.64.0.0/10', 'carrier-grade-nat'),
  special('127.0.0.0/8', 'loopback'),
  special('169.254.0.0/16', 'link-local'),
  special('172.16.0.0/12', 'private'),
  special('192.0.0.0/24', 'reserved'),
  special('192.88.99.0/24', 'reserved'),
  special('192.168.0.0/16', 'private'),
  special('198.18.0.0/15', 'benchmarking'),
  special('224.0.0.0/4', 'multicast'),
  // Includes 255.255.255.255, the limited broadcast address.
  special('240.0.0.0/4', 'reserved'),
];

/**
 * IPv6 forms that carry an IPv4 address inside them: the host really talks to that IPv4
 * address (directly, or through a translator or relay that may sit inside the VPC), so the
 * embedded address decides. Offsets are byte offsets of the embedded address.
 */
const ipv4Mapped = cidr('::ffff:0:0/96');
const ipv4Embedding: readonly { range: CidrRange; offsets: readonly number[] }[] = [
  { range: ipv4Mapped, offsets: [12] },
  { range: cidr('::ffff:0:0:0/96'), offsets: [12] }, // IPv4-translated (SIIT)
  { range: cidr('64:ff9b::/96'), offsets: [12] }, // NAT64 well-known prefix
  { range: cidr('2002::/16'), offsets: [2] }, // 6to4
  { range: cidr('::/96'), offsets: [12] }, // IPv4-compatible (deprecated)
];
// Teredo: the server's address in clear, the client's with every bit inverted (RFC 4380).
const teredo = cidr('2001::/32');

const ipv6Special: readonly SpecialRange[] = [
  special('::/128', 'unspecified'),
  special('::1/128', 'loopback'),
  special('64:ff9b:1::/48', 'private'),
  special('100::/64', 'reserved'),
  special('2001:2::/48', 'benchmarking'),
  special('2001:10::/28', 'reserved'),
  special('2001:20::/28', 'reserved'),
  special('fc00::/7', 'private'),
  special('fe80::/10', 'link-local'),
  special('fec0::/10', 'private'),
  special('ff00::/8', 'multicast'),
];
// Everything outside global unicast is unassigned or special; 2001:db8::/32 (documentation)
// stays public like its IPv4 siblings.
const ipv6GlobalUnicast = cidr('2000::/3');

/**
 * Classifies an address for SSRF checks: anything but `public` must not be called on a
 * caller's behalf. IPv6 forms that embed an IPv4 address take the IPv4 address's kind.
 */
export function classifyIpAddress(address: IpAddress): AddressKind {
  if (address.version === 4) return classifyIn(ipv4Special, address) ?? 'public';
  const direct = classifyIn(ipv6Special, address);
  if (direct !== undefined) return direct;
  for (const embedding of ipv4Embedding) {
    if (!cidrContains(embedding.range, address)) continue;
    for (const offset of embedding.offsets) {
      const kind = classifyIpAddress(ipv4At(address, offset));
      if (kind !== 'public') return kind;
    }
    return 'public';
  }
  if (cidrContains(teredo, address)) {
    const server = classifyIpAddress(ipv4At(address, 4));
    if (server !== 'public') return server;
    const client = ipv4At(address, 12);
    return classifyIpAddress({ version: 4, bytes: client.bytes.map((byte) => ~byte & 0xff) });
  }
  return cidrContains(ipv6GlobalUnicast, address) ? 'public' : 'reserved';
}

/** The IPv4 address behind an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), else the address itself. */
export function unmapIpv4(address: IpAddress): IpAddress {
  return address.version === 6 && cidrContains(ipv4Mapped, address) ? ipv4At(address, 12) : address;
}

function classifyIn(ranges: readonly SpecialRange[], address: IpAddress): SpecialRange['kind'] | undefined {
  return ranges.find((entry) => cidrContains(entry.range, address))?.kind;
}
