import { describe, expect, it } from 'vitest';
import { formatIpAddress, parseIpAddress, type IpAddress } from '../../../shared/src/security/ip-address.ts';
import { classifyIpAddress, unmapIpv4 } from '../../../shared/src/security/ip-ranges.ts';

function ip(text: string): IpAddress {
  const address = parseIpAddress(text);
  if (address === undefined) throw new Error(`bad test address ${text}`);
  return address;
}

describe('classifyIpAddress', () => {
  it.each([
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['100.64.0.1', 'carrier-grade-nat'],
    ['100.127.255.254', 'carrier-grade-nat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
  ])('classifies IPv4 %s as %s', (text, kind) => {
    expect(classifyIpAddress(ip(text))).toBe(kind);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '198.17.255.255',
    '198.20.0.0',
    '223.255.255.255',
    '192.0.2.1',
    '198.51.100.7',
    '203.0.113.9',
    '169.253.255.255',
  ])('treats IPv4 %s as public', (text) => {
    expect(classifyIpAddress(ip(text))).toBe('public');
  });

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fc00::1', 'private'],
    ['fd00:ec2::254', 'private'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['fec0::1', 'private'],
    ['ff02::1', 'multicast'],
    ['100::1', 'reserved'],
    ['2001:2::1', 'benchmarking'],
    ['64:ff9b:1::1', 'private'],
    ['4000::1', 'reserved'],
    ['::2:0:0', 'reserved'],
  ])('classifies IPv6 %s as %s', (text, kind) => {
    expect(classifyIpAddress(ip(text))).toBe(kind);
  });

  it.each(['2606:4700:4700::1111', '2001:4860:4860::8888', '2001:db8::1', '2a00:1450:4001::200e'])(
    'treats IPv6 %s as public',
    (text) => {
      expect(classifyIpAddress(ip(text))).toBe('public');
    },
  );

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:0:10.1.2.3', 'private'],
    ['::127.0.0.1', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['2002:7f00:0001::', 'loopback'],
    ['2002:a9fe:a9fe::1', 'link-local'],
    ['2002:c0a8:0101:1::1', 'private'],
    // Teredo: server 10.0.0.1 in clear.
    ['2001:0:a00:1::', 'private'],
    // Teredo: client 127.0.0.1 with every bit inverted (80ff:fffe).
    ['2001:0:808:808::80ff:fffe', 'loopback'],
  ])('takes the kind of the IPv4 address embedded in %s (%s)', (text, kind) => {
    expect(classifyIpAddress(ip(text))).toBe(kind);
  });

  it.each(['::ffff:8.8.8.8', '64:ff9b::8.8.8.8', '2002:808:808::1', '2001:0:808:808::f7f7:f7f7'])(
    'treats %s, which embeds a public IPv4 address, as public',
    (text) => {
      expect(classifyIpAddress(ip(text))).toBe('public');
    },
  );
});

describe('unmapIpv4', () => {
  it('unwraps IPv4-mapped addresses only', () => {
    expect(formatIpAddress(unmapIpv4(ip('::ffff:10.0.0.1')))).toBe('10.0.0.1');
    expect(unmapIpv4(ip('10.0.0.1')).version).toBe(4);
    expect(unmapIpv4(ip('64:ff9b::a00:1')).version).toBe(6);
  });
});
