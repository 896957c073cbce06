import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LoadTarget, createKeepAliveAgent, responseProblem, runLoad } from '../../bench/load-generator.ts';
import { requestBody } from '../../bench/measure-scenarios.ts';
import { MOCK_STREAM_CHUNK_COUNT, startMockUpstream } from '../../bench/mock-upstream-server.ts';

let server: Server;
let target: LoadTarget;

beforeAll(async () => {
  const upstream = await startMockUpstream();
  server = upstream.server;
  target = {
    name: 'mock upstream',
    url: new URL(`http://127.0.0.1:${upstream.port}/v1/chat/completions`),
    headers: { authorization: 'Bearer sk-test' },
    agent: createKeepAliveAgent(4),
  };
});

afterAll(async () => {
  target.agent.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('runLoad against the mock upstream', () => {
  it('times every non-streamed request and records no first chunk', async () => {
    const result = await runLoad({ target, body: requestBody(false), stream: false, requests: 25, concurrency: 4 });
    expect(result.latenciesMs).toHaveLength(25);
    expect(result.firstChunkMs).toHaveLength(0);
    expect(result.latenciesMs.every((latency) => latency > 0)).toBe(true);
    expect(result.elapsedMs).toBeGreaterThan(0);
  });

  it('records a first chunk no later than the end of each streamed request', async () => {
    const result = await runLoad({ target, body: requestBody(true), stream: true, requests: 10, concurrency: 1 });
    expect(result.firstChunkMs).toHaveLength(10);
    result.firstChunkMs.forEach((firstChunk, index) => expect(firstChunk).toBeLessThanOrEqual(result.latenciesMs[index] ?? 0));
  });

  it('streams the fixed number of chunks, then [DONE]', async () => {
    const response = await fetch(target.url, { method: 'POST', body: requestBody(true), headers: { 'content-type': 'application/json' } });
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(events).toHaveLength(MOCK_STREAM_CHUNK_COUNT + 2);
    expect(events.at(-1)).toBe('data: [DONE]');
  });

  it('adds the usage chunk only when the request asks for it', async () => {
    const body = JSON.stringify({ model: 'm', messages: [], stream: true, stream_options: { include_usage: true } });
    const response = await fetch(target.url, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    const events = (await response.text()).split('\n\n').filter(Boolean);
    expect(events).toHaveLength(MOCK_STREAM_CHUNK_COUNT + 3);
    expect(events.at(-2)).toContain('"usage":{"prompt_tokens":12');
  });

  it('rejects with the status and body of a failed request', async () => {
    const wrongPath: LoadTarget = { ...target, url: new URL('/v1/nothing', target.url) };
    await expect(runLoad({ target: wrongPath, body: requestBody(false), stream: false, requests: 1, concurrency: 1 })).rejects.toThrow(
      /mock upstream: status 404: .*No route for POST \/v1\/nothing/,
    );
  });
});

describe('responseProblem', () => {
  it('accepts a chat completion and a stream that ends with [DONE]', () => {
    expect(responseProblem(200, '{"choices":[]}', false)).toBeUndefined();
    expect(responseProblem(200, 'data: {}\n\ndata: [DONE]\n\n', true)).toBeUndefined();
  });

  it('refuses a truncated stream and a body that is not a completion', () => {
    expect(responseProblem(200, 'data: {}\n\n', true)).toMatch(/without \[DONE\]/);
    expect(responseProblem(200, '{"error":{}}', false)).toMatch(/not a chat completion/);
  });
});
