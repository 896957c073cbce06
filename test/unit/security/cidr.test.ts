import { describe, expect, it } from 'vitest';
import { cidr, cidrContains, parseCidr } from '../../../shared/src/security/cidr.ts';
import { parseIpAddress, type IpAddress } from '../../../shared/src/security/ip-address.ts';

function ip(text: string): IpAddress {
  const address = parseIpAddress(text);
  if (address === undefined) throw new Error(`bad test address ${text}`);
  return address;
}

describe('parseCidr', () => {
  it('reads IPv4 and IPv6 ranges', () => {
    expect(parseCidr('10.0.0.0/8')).toMatchObject({ version: 4, prefixLength: 8 });
    expect(parseCidr('fc00::/7')).toMatchObject({ version: 6, prefixLength: 7 });
    expect(parseCidr('0.0.0.0/0')).toMatchObject({ version: 4, prefixLength: 0 });
  });

  it('reads a bare address as a range of one', () => {
    expect(parseCidr('192.168.1.5')).toMatchObject({ version: 4, prefixLength: 32 });
    expect(parseCidr('::1')).toMatchObject({ version: 6, prefixLength: 128 });
  });

  it.each(['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/-1', '10.0.0/8', 'example.com/8', '/8', '10.0.0.0/8/8'])(
    'refuses %j',
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );

  it('cidr() throws on a bad range', () => {
    expect(() => cidr('10.0.0.0/40')).toThrow('Invalid CIDR range: 10.0.0.0/40');
  });
});

describe('cidrContains', () => {
  it('matches on byte-aligned prefixes', () => {
    expect(cidrContains(cidr('10.0.0.0/8'), ip('10.255.1.2'))).toBe(true);
    expect(cidrContains(cidr('10.0.0.0/8'), ip('11.0.0.0'))).toBe(false);
    expect(cidrContains(cidr('192.168.0.0/16'), ip('192.168.200.1'))).toBe(true);
    expect(cidrContains(cidr('192.168.0.0/16'), ip('192.169.0.1'))).toBe(false);
  });

  it('matches on prefixes that split a byte', () => {
    const range = cidr('172.16.0.0/12');
    expect(cidrContains(range, ip('172.16.0.0'))).toBe(true);
    expect(cidrContains(range, ip('172.31.255.255'))).toBe(true);
    expect(cidrContains(range, ip('172.15.255.255'))).toBe(false);
    expect(cidrContains(range, ip('172.32.0.0'))).toBe(false);
    const cgnat = cidr('100.64.0.0/10');
    expect(cidrContains(cgnat, ip('100.127.255.255'))).toBe(true);
    expect(cidrContains(cgnat, ip('100.128.0.0'))).toBe(false);
    expect(cidrContains(cgnat, ip('100.63.255.255'))).toBe(false);
  });

  it('ignores host bits written below the prefix', () => {
    expect(cidrContains(cidr('10.1.2.3/8'), ip('10.9.9.9'))).toBe(true);
  });

  it('handles /0 and full-length prefixes', () => {
    expect(cidrContains(cidr('0.0.0.0/0'), ip('8.8.8.8'))).toBe(true);
    expect(cidrContains(cidr('::/0'), ip('2001:db8::1'))).toBe(true);
    expect(cidrContains(cidr('1.2.3.4/32'), ip('1.2.3.4'))).toBe(true);
    expect(cidrContains(cidr('1.2.3.4/32'), ip('1.2.3.5'))).toBe(false);
    expect(cidrContains(cidr('::1/128'), ip('::1'))).toBe(true);
    expect(cidrContains(cidr('::1/128'), ip('::2'))).toBe(false);
  });

  it('matches IPv6 ranges', () => {
    expect(cidrContains(cidr('fc00::/7'), ip('fd12:3456::1'))).toBe(true);
    expect(cidrContains(cidr('fc00::/7'), ip('fe00::1'))).toBe(false);
    expect(cidrContains(cidr('fe80::/10'), ip('febf:ffff::1'))).toBe(true);
    expect(cidrContains(cidr('fe80::/10'), ip('fec0::1'))).toBe(false);
  });

  it('never matches across IP versions', () => {
    expect(cidrContains(cidr('0.0.0.0/0'), ip('::1'))).toBe(false);
    expect(cidrContains(cidr('::/0'), ip('127.0.0.1'))).toBe(false);
  });
});
