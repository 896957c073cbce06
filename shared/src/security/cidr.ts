import { parseIpAddress, type IpAddress } from './ip-address.ts';

/** A block of addresses: the first `prefixLength` bits of `network` are fixed. */
export interface CidrRange {
  readonly version: 4 | 6;
  readonly network: Uint8Array;
  readonly prefixLength: number;
}

/**
 * Parses `10.0.0.0/8`, `fc00::/7`, or a bare address (a range of one: /32 or /128).
 * Host bits set below the prefix (`10.1.2.3/8`) are accepted and ignored, as most tools do.
 */
export function parseCidr(text: string): CidrRange | undefined {
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (address === undefined) return undefined;
  const maxLength = address.bytes.length * 8;
  if (slash === -1) return { version: address.version, network: address.bytes, prefixLength: maxLength };
  const lengthText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lengthText)) return undefined;
  const prefixLength = Number(lengthText);
  if (prefixLength > maxLength) return undefined;
  return { version: address.version, network: address.bytes, prefixLength };
}

/** Like {@link parseCidr} but for ranges written in code, where a typo is a bug. */
export function cidr(text: string): CidrRange {
  const range = parseCidr(text);
  if (range === undefined) throw new Error(`Invalid CIDR range: ${text}`);
  return range;
}

/** Whether `address` lies inside `range`; addresses of the other IP version never do. */
export function cidrContains(range: CidrRange, address: IpAddress): boolean {
  if (range.version !== address.version) return false;
  const fullBytes = Math.floor(range.prefixLength / 8);
  for (let index = 0; index < fullBytes; index += 1) {
    if (range.network[index] !== address.bytes[index]) return false;
  }
  const remainingBits = range.prefixLength % 8;
  if (remainingBits === 0) return true;
  const mask = (0xff << (8 - remainingBits)) & 0xff;
  return ((range.network[fullBytes] ?? 0) & mask) === ((address.bytes[fullBytes] ?? 0) & mask);
}
