import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from '../../../../shared/src/adapters/node/node-http-fetch.ts';

// `.invalid` never resolves (RFC 6761): a call that reaches the server cannot have asked DNS.
const PINNED_NAME = 'llm.rebind.invalid';
const servers: Server[] = [];

async function startServer(): Promise<{ port: number; seen: { host: string | undefined; contentType: string | undefined; body: string }[] }> {
  const seen: { host: string | undefined; contentType: string | undefined; body: string }[] = [];
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      seen.push({ host: request.headers.host, contentType: request.headers['content-type'], body: Buffer.concat(parts).toString('utf8') });
      response.end('pinned');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, seen };
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))));
});

const pinTo = (addresses: readonly string[]) => (hostname: string) => (hostname === PINNED_NAME ? addresses : undefined);

describe('createNodeHttpFetch with pinned addresses', () => {
  it('connects a pinned name to the checked address without a DNS look-up, keeping the name in the Host header', async () => {
    const server = await startServer();
    const fetch = createNodeHttpFetch({ pinnedAddresses: pinTo(['127.0.0.1']) });
    const response = await fetch(`http://${PINNED_NAME}:${server.port}/v1/chat`, { method: 'POST', body: '{}', redirect: 'error' });
    expect(await response.text()).toBe('pinned');
    expect(server.seen[0]?.host).toBe(`${PINNED_NAME}:${server.port}`);
  });

  it('resolves the same name through DNS when it is not pinned (and so fails here)', async () => {
    const server = await startServer();
    const fetch = createNodeHttpFetch({ pinnedAddresses: () => undefined });
    const failure = await fetch(`http://${PINNED_NAME}:${server.port}/`, { redirect: 'error' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(server.seen).toEqual([]);
  });

  it('sends a form body itself rather than through the fallback, which would resolve the name again', async () => {
    const server = await startServer();
    const fetch = createNodeHttpFetch({
      pinnedAddresses: pinTo(['127.0.0.1']),
      fallback: () => Promise.reject(new Error('the fallback must not be used for a pinned host')),
    });
    const form = new FormData();
    form.set('model', 'whisper-1');
    const response = await fetch(`http://${PINNED_NAME}:${server.port}/v1/audio/transcriptions`, { method: 'POST', body: form, redirect: 'error' });
    expect(response.status).toBe(200);
    expect(server.seen[0]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(server.seen[0]?.body).toContain('whisper-1');
  });

  it('refuses to follow redirects for a pinned host', async () => {
    const fetch = createNodeHttpFetch({ pinnedAddresses: pinTo(['127.0.0.1']), fallback: () => Promise.reject(new Error('fallback used')) });
    await expect(fetch(`http://${PINNED_NAME}:1/`)).rejects.toThrow('fetch failed');
  });
});
