import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createNodeHttpFetch } from '../../../../shared/src/adapters/node/node-http-fetch.ts';

type Handler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void;

interface TestServer {
  origin: string;
  /** Connections the server accepted so far. */
  connections: Socket[];
  received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[];
  /** Resolves when the n-th response (0-based) closes, with whether it was finished. */
  responseClosed(index: number): Promise<boolean>;
  close(): Promise<void>;
}

const servers: Server[] = [];

async function startServer(handler: Handler): Promise<TestServer> {
  const connections: Socket[] = [];
  const received: TestServer['received'] = [];
  const closed: Promise<boolean>[] = [];
  const server = createServer((request, response) => {
    closed.push(new Promise((resolve) => response.on('close', () => resolve(response.writableFinished))));
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      const body = Buffer.concat(parts);
      received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: body.toString('utf8') });
      handler(request, response, body);
    });
  });
  server.on('connection', (socket: Socket) => connections.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections,
    received,
    async responseClosed(index) {
      for (let waited = 0; closed[index] === undefined && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 5));
      return closed[index] ?? Promise.reject(new Error(`no response ${index}`));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}

describe('createNodeHttpFetch', () => {
  it('sends the method, path, headers and body, and reads the answer as fetch would', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
      response.end('{"ok":true}');
    });
    const fetch = createNodeHttpFetch();
    const response = await fetch(`${server.origin}/v1/chat/completions?x=1`, {
      method: 'POST',
      headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer sk-test' }),
      body: '{"model":"m"}',
      redirect: 'error',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-request-id')).toBe('req-1');
    expect(response.url).toBe(`${server.origin}/v1/chat/completions?x=1`);
    expect(await response.json()).toEqual({ ok: true });
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
    const [request] = server.received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/chat/completions?x=1');
    expect(request?.body).toBe('{"model":"m"}');
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': '13',
      authorization: 'Bearer sk-test',
      accept: '*/*',
      'user-agent': 'node',
    });
  });

  it('sends byte bodies with their length and POSTs without a body with Content-Length 0', async () => {
    const server = await startServer((_request, response) => response.end('done'));
    const fetch = createNodeHttpFetch();
    await (await fetch(server.origin, { method: 'POST', body: new Uint8Array([1, 2, 3]), redirect: 'error' })).text();
    await (await fetch(server.origin, { method: 'POST', redirect: 'error' })).text();
    expect(server.received.map((request) => request.headers['content-length'])).toEqual(['3', '0']);
  });

  it('reuses one keep-alive connection for sequential calls', async () => {
    const server = await startServer((_request, response) => response.end('{}'));
    const fetch = createNodeHttpFetch();
    for (let index = 0; index < 5; index++) {
      const response = await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' });
      await response.arrayBuffer();
    }
    expect(server.received).toHaveLength(5);
    expect(server.connections).toHaveLength(1);
  });

  it('hands each chunk of a streamed body to the reader as it arrives', async () => {
    let finish: () => void = () => undefined;
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
      finish = () => response.end('data: two\n\n');
    });
    const fetch = createNodeHttpFetch();
    const response = await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('data: one\n\n');
    finish();
    const second = await reader.read();
    expect(new TextDecoder().decode(second.value)).toBe('data: two\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('rejects with the signal reason and closes the connection when aborted before the answer', async () => {
    const server = await startServer(() => undefined);
    const fetch = createNodeHttpFetch();
    const controller = new AbortController();
    const pending = fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error', signal: controller.signal });
    await vi.waitFor(() => expect(server.received).toHaveLength(1));
    const reason = new Error('caller left');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(await server.responseClosed(0)).toBe(false);
  });

  it('fails the body with the signal reason and closes the connection when aborted mid-stream', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
    });
    const fetch = createNodeHttpFetch();
    const controller = new AbortController();
    const response = await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error', signal: controller.signal });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const reason = new Error('timed out');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    expect(await server.responseClosed(0)).toBe(false);
  });

  it('closes the connection when the body stream is cancelled', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
    });
    const fetch = createNodeHttpFetch();
    const response = await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' });
    await (response.body as ReadableStream<Uint8Array>).cancel();
    expect(await server.responseClosed(0)).toBe(false);
  });

  it('fails a body that the connection cuts short instead of ending it cleanly', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n', () => setTimeout(() => response.socket?.destroy(), 10));
    });
    const fetch = createNodeHttpFetch();
    const streamed = await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' });
    await expect(readAll(streamed.body as ReadableStream<Uint8Array>)).rejects.toThrow();
    const whole = await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' });
    await expect(whole.text()).rejects.toThrow();
  });

  it('refuses a redirect with fetch\'s "unexpected redirect" failure when redirect is error, and never calls the new location', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
      response.end();
    });
    const fallback = vi.fn<typeof globalThis.fetch>();
    const fetch = createNodeHttpFetch({ fallback });
    const failure: unknown = await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(((failure as Error).cause as Error).message).toBe('unexpected redirect');
    expect(server.received).toHaveLength(1);
    expect(fallback).not.toHaveBeenCalled();
    const manual = await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('http://169.254.169.254/latest/meta-data/');
  });

  it('leaves what it does not implement to the fallback fetch', async () => {
    const fallback = vi.fn<typeof globalThis.fetch>(async () => new Response('from fallback'));
    const fetch = createNodeHttpFetch({ fallback });
    expect(await (await fetch('http://127.0.0.1:9/x')).text()).toBe('from fallback');
    await fetch('http://127.0.0.1:9/x', { method: 'POST', body: new Blob(['x']), redirect: 'error' });
    await fetch('data:text/plain,hello', { redirect: 'error' });
    expect(fallback).toHaveBeenCalledTimes(3);
  });

  it('decodes a gzip-encoded body as fetch does', async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      response.end(gzipSync('{"compressed":true}'));
    });
    const fetch = createNodeHttpFetch();
    const response = await fetch(server.origin, { method: 'GET', redirect: 'error' });
    expect(await response.json()).toEqual({ compressed: true });
  });

  it('has no body for HEAD requests and 204 answers', async () => {
    const server = await startServer((request, response) => {
      response.writeHead(request.method === 'HEAD' ? 200 : 204);
      response.end();
    });
    const fetch = createNodeHttpFetch();
    const head = await fetch(server.origin, { method: 'HEAD', redirect: 'error' });
    expect(head.body).toBeNull();
    const empty = await fetch(server.origin, { method: 'DELETE', redirect: 'error' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    expect(await empty.text()).toBe('');
  });

  it("fails like fetch, with the network error's code in the cause, when nothing listens", async () => {
    const server = await startServer(() => undefined);
    const origin = server.origin;
    await server.close();
    const failure: unknown = await createNodeHttpFetch()(origin, { method: 'POST', body: '{}', redirect: 'error' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect((failure as Error).message).toBe('fetch failed');
    expect(((failure as Error).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('gives up on a server that stays silent past the idle timeout', async () => {
    const server = await startServer(() => undefined);
    const failure: unknown = await createNodeHttpFetch({ idleTimeoutMs: 50 })(server.origin, { method: 'POST', body: '{}', redirect: 'error' }).catch(
      (error: unknown) => error,
    );
    expect(((failure as Error).cause as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
  });

  it('keeps a pooled connection past the pool timeout while an answer is still coming', async () => {
    const server = await startServer((_request, response) => setTimeout(() => response.end('late'), 150));
    const fetch = createNodeHttpFetch({ keepAliveMs: 50 });
    expect(await (await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' })).text()).toBe('late');
    expect(await (await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' })).text()).toBe('late');
  });

  it('sends the request once more on a fresh connection when a pooled one turns out closed', async () => {
    let calls = 0;
    const server = await startServer((request, response) => {
      calls++;
      // The second request arrives on the pooled connection, which the server drops unanswered.
      if (calls === 2) request.socket.destroy();
      else response.end(`answer ${calls}`);
    });
    const fetch = createNodeHttpFetch();
    expect(await (await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' })).text()).toBe('answer 1');
    expect(await (await fetch(server.origin, { method: 'POST', body: '{}', redirect: 'error' })).text()).toBe('answer 3');
    expect(server.connections).toHaveLength(2);
  });
});
