/**
 * IP addresses as bytes, so range checks are plain bit comparisons and no textual form
 * (`::ffff:7f00:1`, `0:0:0:0:0:0:0:1`, `[::1]`) can slip past a string comparison.
 */
export interface IpAddress {
  readonly version: 4 | 6;
  /** 4 bytes for IPv4, 16 for IPv6, network order. */
  readonly bytes: Uint8Array;
}

const decimalOctet = /^(0|[1-9][0-9]{0,2})$/;
const hexGroup = /^[0-9a-f]{1,4}$/i;

/**
 * Parses canonical IPv4 dotted-quad or IPv6 text (brackets and a `%zone` suffix tolerated).
 * Returns undefined for anything else, including the legacy octal/hex/short IPv4 forms:
 * callers hand in hosts that the WHATWG URL parser has already normalised.
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  let candidate = text;
  if (candidate.startsWith('[') && candidate.endsWith(']')) candidate = candidate.slice(1, -1);
  if (candidate.includes(':')) {
    const zoneStart = candidate.indexOf('%');
    if (zoneStart !== -1) candidate = candidate.slice(0, zoneStart);
    const bytes = parseIpv6(candidate);
    return bytes === undefined ? undefined : { version: 6, bytes };
  }
  const bytes = parseIpv4(candidate);
  return bytes === undefined ? undefined : { version: 4, bytes };
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (const [index, part] of parts.entries()) {
    if (!decimalOctet.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[index] = value;
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const groupCount = head.length + tail.length;
  // `::` stands for at least one zero group; without it all eight groups must be present.
  if (halves.length === 1 ? groupCount !== 8 : groupCount > 7) return undefined;
  const groups = [...head, ...new Array<number>(8 - groupCount).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [index, group] of groups.entries()) {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  }
  return bytes;
}

/** Groups of one side of `::`; the last group of the address may be a dotted IPv4 tail. */
function parseGroups(text: string, mayEndWithIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (const [index, part] of parts.entries()) {
    if (mayEndWithIpv4 && index === parts.length - 1 && part.includes('.')) {
      const ipv4 = parseIpv4(part);
      if (ipv4 === undefined) return undefined;
      groups.push(((ipv4[0] ?? 0) << 8) | (ipv4[1] ?? 0), ((ipv4[2] ?? 0) << 8) | (ipv4[3] ?? 0));
      continue;
    }
    if (!hexGroup.test(part)) return undefined;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

/** Text form for messages: dotted quad, or eight uncompressed hex groups for IPv6. */
export function formatIpAddress(address: IpAddress): string {
  if (address.version === 4) return Array.from(address.bytes).join('.');
  const groups: string[] = [];
  for (let index = 0; index < 16; index += 2) {
    groups.push((((address.bytes[index] ?? 0) << 8) | (address.bytes[index + 1] ?? 0)).toString(16));
  }
  return groups.join(':');
}

/** The IPv4 address held in `bytes[offset..offset+4]` of an IPv6 address. */
export function ipv4At(address: IpAddress, offset: number): IpAddress {
  return { version: 4, bytes: address.bytes.slice(offset, offset + 4) };
}
