import { describe, expect, it } from 'vitest';
import { GatewayError, PermissionDeniedError } from '../../../shared/src/core/gateway-error.ts';
import type { HostResolver } from '../../../shared/src/ports/host-resolver.ts';
import { createHostGuard } from '../../../shared/src/security/host-guard.ts';

/** A resolver over a fixed table that records every name it was asked for. */
function fakeResolver(table: Record<string, string[]>): HostResolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    resolve(hostname) {
      calls.push(hostname);
      const addresses = table[hostname];
      if (addresses === undefined) return Promise.reject(new Error(`getaddrinfo ENOTFOUND ${hostname}`));
      return Promise.resolve(addresses);
    },
  };
}

const dnsTable: Record<string, string[]> = {
  'api.example.com': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'metadata.attacker.test': ['169.254.169.254'],
  'mixed.attacker.test': ['93.184.215.14', '10.0.0.7'],
  'v6-loopback.attacker.test': ['::1'],
  'mapped.attacker.test': ['::ffff:127.0.0.1'],
  'nat64.attacker.test': ['64:ff9b::10.0.0.1'],
  'empty.test': [],
  'garbage.test': ['not-an-address'],
  'llm.corp.internal': ['10.20.1.5'],
  'gpu.corp.internal': ['10.30.1.5'],
  'ollama.internal': ['192.168.1.20'],
  'v6.corp.internal': ['fd00::5'],
};

async function refusal(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected the guard to refuse');
}

describe('createHostGuard', () => {
  const guard = createHostGuard({ allow: [], resolver: fakeResolver(dnsTable) });

  it('allows a public host name whose every address is public, and returns the addresses it checked for the call to pin', async () => {
    await expect(guard.assertAllowed('https://api.example.com/v1/chat/completions')).resolves.toEqual({
      hostname: 'api.example.com',
      addresses: ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    });
  });

  it('allows public IP literals, including documentation ranges', async () => {
    await expect(guard.assertAllowed('http://8.8.8.8/')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('http://203.0.113.10:8080/v1')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('http://[2606:4700:4700::1111]/')).resolves.toBeUndefined();
  });

  it('refuses the cloud metadata endpoint with a 403 host_not_allowed', async () => {
    const error = await refusal(guard.assertAllowed('http://169.254.169.254/latest/meta-data/iam/'));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.status).toBe(403);
    expect(error.code).toBe('host_not_allowed');
    expect(error.message).toBe('Host 169.254.169.254 is not allowed: it is a link-local address.');
  });

  it.each([
    ['http://127.0.0.1:11434/v1', 'loopback'],
    ['http://127.1.2.3/', 'loopback'],
    ['http://[::1]/', 'loopback'],
    ['http://10.0.0.1/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.0.1/', 'private'],
    ['http://[fd00::1]/', 'private'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://0.0.0.0:8080/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://100.64.0.1/', 'carrier-grade NAT'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://255.255.255.255/', 'reserved'],
    ['http://198.18.0.1/', 'benchmarking'],
    ['http://[::ffff:127.0.0.1]/', 'loopback'],
    ['http://[::ffff:7f00:1]/', 'loopback'],
    ['http://[::ffff:a9fe:a9fe]/', 'link-local'],
    ['http://[::127.0.0.1]/', 'loopback'],
    ['http://[64:ff9b::10.0.0.1]/', 'private'],
    ['http://[64:ff9b::a9fe:a9fe]/', 'link-local'],
    ['http://[2002:7f00:1::]/', 'loopback'],
    ['http://[2002:c0a8:101::1]/', 'private'],
  ])('refuses the IP literal in %s (%s)', async (url, kind) => {
    const error = await refusal(guard.assertAllowed(url));
    expect(error.code).toBe('host_not_allowed');
    expect(error.message).toContain(kind);
  });

  it.each([
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
    ['http://0177.0.0.1/', '127.0.0.1'],
    ['http://127.1/', '127.0.0.1'],
    ['http://0x7f000001/', '127.0.0.1'],
    ['http://2852039166/', '169.254.169.254'],
    ['http://0xa9.0xfe.0xa9.0xfe/', '169.254.169.254'],
    ['http://012.0.0.1/', '10.0.0.1'],
    ['http://0/', '0.0.0.0'],
  ])('catches the legacy IPv4 spelling %s (%s)', async (url, normalised) => {
    const error = await refusal(guard.assertAllowed(url));
    expect(error.code).toBe('host_not_allowed');
    expect(error.message).toContain(`Host ${normalised} `);
  });

  it('refuses a name that resolves to the metadata endpoint', async () => {
    const error = await refusal(guard.assertAllowed('http://metadata.attacker.test/'));
    expect(error.message).toBe('Host metadata.attacker.test is not allowed: it resolves to a link-local address.');
  });

  it('refuses a name when any one of its addresses is not public', async () => {
    const error = await refusal(guard.assertAllowed('https://mixed.attacker.test/'));
    expect(error.message).toBe('Host mixed.attacker.test is not allowed: it resolves to a private address.');
  });

  it.each(['v6-loopback.attacker.test', 'mapped.attacker.test', 'nat64.attacker.test'])(
    'refuses %s, which resolves to an IPv6 form of a private address',
    async (host) => {
      expect((await refusal(guard.assertAllowed(`http://${host}/`))).code).toBe('host_not_allowed');
    },
  );

  it('refuses a name that resolves to something that is not an address', async () => {
    const error = await refusal(guard.assertAllowed('http://garbage.test/'));
    expect(error.code).toBe('host_not_allowed');
  });

  it.each(['http://localhost:8080/', 'http://LOCALHOST/', 'http://localhost./', 'http://api.localhost/', 'http://a.b.localhost/'])(
    'refuses %s without asking the resolver',
    async (url) => {
      const resolver = fakeResolver({});
      const localGuard = createHostGuard({ allow: [], resolver });
      const error = await refusal(localGuard.assertAllowed(url));
      expect(error.code).toBe('host_not_allowed');
      expect(error.message).toContain('local host names are not allowed');
      expect(resolver.calls).toEqual([]);
    },
  );

  it('answers 400 host_unresolvable for a name that does not resolve', async () => {
    const error = await refusal(guard.assertAllowed('https://no-such-host.test/v1'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('host_unresolvable');
    expect(error.message).toBe('Host no-such-host.test could not be resolved.');
    expect((error.cause as Error).message).toContain('ENOTFOUND');
  });

  it('answers host_unresolvable when the resolver returns no address', async () => {
    expect((await refusal(guard.assertAllowed('https://empty.test/'))).code).toBe('host_unresolvable');
  });

  it.each(['ftp://api.example.com/file', 'file:///etc/passwd', 'gopher://api.example.com/', 'javascript:alert(1)', 'ws://api.example.com/'])(
    'refuses the scheme of %s',
    async (url) => {
      const error = await refusal(guard.assertAllowed(url));
      expect(error.code).toBe('host_not_allowed');
      expect(error.message).toMatch(/the scheme [a-z]+: is not allowed; use http or https/);
    },
  );

  it('refuses credentials in the URL without repeating them', async () => {
    for (const url of ['https://user:s3cret@api.example.com/', 'https://token@api.example.com/', 'https://:s3cret@api.example.com/']) {
      const error = await refusal(guard.assertAllowed(url));
      expect(error.code).toBe('host_not_allowed');
      expect(error.message).toBe('Host api.example.com is not allowed: URLs must not carry credentials.');
      expect(error.message).not.toContain('s3cret');
    }
  });

  it('names the host but not the path or query string', async () => {
    const error = await refusal(guard.assertAllowed('http://10.0.0.1/secret-path?key=sk-live-123'));
    expect(error.message).toBe('Host 10.0.0.1 is not allowed: it is a private address.');
  });

  it('answers 400 invalid_url without echoing an unparseable URL', async () => {
    const error = await refusal(guard.assertAllowed('http://user:s3cret@[::1/'));
    expect(error.status).toBe(400);
    expect(error.code).toBe('invalid_url');
    expect(error.message).not.toContain('s3cret');
    expect((await refusal(guard.assertAllowed('not a url'))).code).toBe('invalid_url');
  });

  it('refuses on every call: nothing is remembered between calls', async () => {
    const table: Record<string, string[]> = { 'flip.test': ['93.184.215.14'] };
    const flipGuard = createHostGuard({ allow: [], resolver: fakeResolver(table) });
    await flipGuard.assertAllowed('http://flip.test/');
    table['flip.test'] = ['127.0.0.1'];
    expect((await refusal(flipGuard.assertAllowed('http://flip.test/'))).code).toBe('host_not_allowed');
  });
});

describe('createHostGuard with an allow list', () => {
  const resolver = fakeResolver(dnsTable);
  const guard = createHostGuard({
    allow: ['127.0.0.0/8', '::1/128', '10.20.0.0/16', 'ollama.internal', '*.Corp.Internal', '[fd00::5]'],
    resolver,
  });

  it('allows IP literals inside an allowed range', async () => {
    await expect(guard.assertAllowed('http://127.0.0.1:11434/v1')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('http://2130706433:11434/v1')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('http://[::1]:11434/v1')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('http://10.20.3.4/')).resolves.toBeUndefined();
  });

  it('matches an IPv4 range against the IPv4-mapped IPv6 spelling', async () => {
    await expect(guard.assertAllowed('http://[::ffff:127.0.0.1]/')).resolves.toBeUndefined();
  });

  it('still refuses what the allow list does not cover', async () => {
    expect((await refusal(guard.assertAllowed('http://169.254.169.254/'))).code).toBe('host_not_allowed');
    expect((await refusal(guard.assertAllowed('http://10.21.0.1/'))).code).toBe('host_not_allowed');
    expect((await refusal(guard.assertAllowed('http://metadata.attacker.test/'))).code).toBe('host_not_allowed');
  });

  it('allows an exact host name without resolving it', async () => {
    const before = resolver.calls.length;
    await expect(guard.assertAllowed('http://ollama.internal:11434/v1')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('http://OLLAMA.internal./v1')).resolves.toBeUndefined();
    expect(resolver.calls.length).toBe(before);
  });

  it('allows sub-domains of a suffix pattern, whatever they resolve to', async () => {
    await expect(guard.assertAllowed('https://gpu.corp.internal/v1')).resolves.toBeUndefined();
    await expect(guard.assertAllowed('https://llm.corp.internal/v1')).resolves.toBeUndefined();
  });

  it('does not let a suffix pattern match the bare domain or a look-alike', async () => {
    const error = await refusal(guard.assertAllowed('https://corp.internal/'));
    expect(error.code).toBe('host_unresolvable');
    expect((await refusal(guard.assertAllowed('https://evilcorp.internal/'))).code).toBe('host_unresolvable');
  });

  it('allows a name whose addresses all sit in allowed ranges', async () => {
    const rangeGuard = createHostGuard({ allow: ['10.20.0.0/16', 'fd00::5'], resolver });
    await expect(rangeGuard.assertAllowed('http://llm.corp.internal/')).resolves.toEqual({ hostname: 'llm.corp.internal', addresses: ['10.20.1.5'] });
    await expect(rangeGuard.assertAllowed('http://v6.corp.internal/')).resolves.toEqual({ hostname: 'v6.corp.internal', addresses: ['fd00::5'] });
    expect((await refusal(rangeGuard.assertAllowed('http://gpu.corp.internal/'))).code).toBe('host_not_allowed');
  });

  it('refuses localhost by name even when loopback ranges are allowed, unless the name is listed', async () => {
    expect((await refusal(guard.assertAllowed('http://localhost:11434/'))).code).toBe('host_not_allowed');
    const localGuard = createHostGuard({ allow: ['localhost'], resolver });
    await expect(localGuard.assertAllowed('http://localhost:11434/')).resolves.toBeUndefined();
  });

  it('keeps refusing schemes and credentials for allowed hosts', async () => {
    expect((await refusal(guard.assertAllowed('ftp://ollama.internal/'))).code).toBe('host_not_allowed');
    expect((await refusal(guard.assertAllowed('http://u:p@ollama.internal/'))).code).toBe('host_not_allowed');
  });

  it.each(['', 'http://example.com', '10.0.0.0/33', '*.', 'exa mple.com', '1.2.3.4.5', 'host:80', '*.*.example.com'])(
    'throws at construction on the bad entry %j',
    (entry) => {
      expect(() => createHostGuard({ allow: [entry], resolver })).toThrow('Invalid host allow-list entry');
    },
  );
});
