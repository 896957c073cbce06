import { describe, expect, it } from 'vitest';
import { formatIpAddress, ipv4At, parseIpAddress } from '../../../shared/src/security/ip-address.ts';

function bytesOf(text: string): number[] | undefined {
  const address = parseIpAddress(text);
  return address === undefined ? undefined : Array.from(address.bytes);
}

describe('parseIpAddress', () => {
  it('reads dotted-quad IPv4', () => {
    expect(parseIpAddress('127.0.0.1')?.version).toBe(4);
    expect(bytesOf('127.0.0.1')).toEqual([127, 0, 0, 1]);
    expect(bytesOf('255.255.255.255')).toEqual([255, 255, 255, 255]);
    expect(bytesOf('0.0.0.0')).toEqual([0, 0, 0, 0]);
  });

  it.each(['256.0.0.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', '0x7f.0.0.1', '2130706433', '1.2.3.', '', 'a.b.c.d', ' 1.2.3.4'])(
    'refuses %j as IPv4',
    (text) => {
      expect(parseIpAddress(text)).toBeUndefined();
    },
  );

  it('reads full and compressed IPv6', () => {
    expect(parseIpAddress('::1')?.version).toBe(6);
    expect(bytesOf('::1')).toEqual([...new Array<number>(15).fill(0), 1]);
    expect(bytesOf('::')).toEqual(new Array<number>(16).fill(0));
    expect(bytesOf('0:0:0:0:0:0:0:1')).toEqual(bytesOf('::1'));
    expect(bytesOf('fe80::')).toEqual([0xfe, 0x80, ...new Array<number>(14).fill(0)]);
    expect(bytesOf('2001:DB8::8:800:200C:417A')).toEqual([
      0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x08, 0x08, 0x00, 0x20, 0x0c, 0x41, 0x7a,
    ]);
    expect(bytesOf('1:2:3:4:5:6:7::')).toEqual(bytesOf('1:2:3:4:5:6:7:0'));
    expect(bytesOf('::2:3:4:5:6:7:8')).toEqual(bytesOf('0:2:3:4:5:6:7:8'));
  });

  it('reads an IPv4 tail in IPv6', () => {
    expect(bytesOf('::ffff:127.0.0.1')).toEqual(bytesOf('::ffff:7f00:1'));
    expect(bytesOf('64:ff9b::10.0.0.1')).toEqual(bytesOf('64:ff9b::a00:1'));
    expect(bytesOf('1:2:3:4:5:6:1.2.3.4')).toEqual(bytesOf('1:2:3:4:5:6:102:304'));
  });

  it('strips brackets and a zone id', () => {
    expect(bytesOf('[::1]')).toEqual(bytesOf('::1'));
    expect(bytesOf('fe80::1%eth0')).toEqual(bytesOf('fe80::1'));
  });

  it.each([
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8::',
    '12345::',
    'g::1',
    ':1::2',
    '1::2:',
    '::1.2.3.4:5',
    '::ffff:1.2.3.256',
    '[::1',
  ])('refuses %j as IPv6', (text) => {
    expect(parseIpAddress(text)).toBeUndefined();
  });
});

describe('formatIpAddress', () => {
  it('writes both versions', () => {
    expect(formatIpAddress({ version: 4, bytes: new Uint8Array([10, 0, 0, 1]) })).toBe('10.0.0.1');
    const v6 = parseIpAddress('2001:db8::1');
    expect(v6 && formatIpAddress(v6)).toBe('2001:db8:0:0:0:0:0:1');
  });
});

describe('ipv4At', () => {
  it('extracts an embedded IPv4 address', () => {
    const v6 = parseIpAddress('2002:c0a8:0101::');
    expect(v6 && formatIpAddress(ipv4At(v6, 2))).toBe('192.168.1.1');
  });
});
