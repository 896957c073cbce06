import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { fixtureChunks, type MockUpstream, startMockUpstream } from '../support/mock-upstream.ts';
import type { TestGateway } from '../support/start-test-gateway.ts';
import { openAIClientFor, useGatewayAndUpstream } from '../support/gateway-and-upstream.ts';

let gateway: TestGateway;
let upstream: MockUpstream;
let client: OpenAI;

const chunks = fixtureChunks('openai/openai-text.chunks.txt');

useGatewayAndUpstream((parts) => {
  ({ gateway, upstream } = parts);
  client = openAIClientFor(parts, { apiKey: 'sk-caller', provider: 'openai', upstreamPath: '/v1' });
});

const request = { model: 'gpt-4.1-nano', messages: [{ role: 'user' as const, content: 'Hi' }], stream: true as const };

describe('streams that fail after the first byte', () => {
  it('ends with an error the SDK raises, never a clean end, when the upstream connection drops', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${chunks[0]}\n\n`);
      response.write(`data: ${chunks[1]}\n\n`, () => setTimeout(() => response.socket?.destroy(), 20));
    });
    const stream = await client.chat.completions.create(request);
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.id);
    })().catch((error: unknown) => error);
    expect(received).toHaveLength(2);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(String((failure as Error).message)).toMatch(/stream|upstream|ended/i);
    const [record] = await gateway.waitForRecords(1);
    expect(record?.errorCode).toBe('stream_error');
  });

  it('ends with an error when the upstream stream stops without [DONE]', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(chunks.slice(0, 3).map((chunk) => `data: ${chunk}\n\n`).join(''));
    });
    const stream = await client.chat.completions.create(request);
    await expect((async () => {
      for await (const _chunk of stream) void _chunk;
    })()).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('falls back before the first byte when the first target answers a stream request with 503', async () => {
    const second = await startMockUpstream();
    try {
      upstream.handle((_request, response) => response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"overloaded"}}'));
      second.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(chunks.map((chunk) => `data: ${chunk}\n\n`).join('') + 'data: [DONE]\n\n');
      });
      const config = {
        strategy: { mode: 'fallback' },
        targets: [
          { provider: 'openai', api_key: 'sk-a', custom_host: `${upstream.origin}/v1` },
          { provider: 'openai', api_key: 'sk-b', custom_host: `${second.origin}/v1` },
        ],
      };
      const { data: stream, response } = await client.chat.completions.create(request, { headers: { 'x-portkey-config': JSON.stringify(config) } }).withResponse();
      let count = 0;
      for await (const _chunk of stream) count++;
      // The fixture's last chunk carries only usage, which the caller did not ask for.
      const contentChunks = chunks.filter((chunk) => (JSON.parse(chunk) as { choices: unknown[] }).choices.length > 0);
      expect(count).toBe(contentChunks.length);
      expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    } finally {
      await second.close();
    }
  });
});

describe('client disconnects', () => {
  it('aborts the upstream call when the client goes away mid-stream', async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${chunks[0]}\n\n`);
      // The rest never comes: only the client's abort can end this response.
    });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(request, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort();
    await expect(upstream.responseClosed(0)).resolves.toEqual({ finished: false });
  });
});
