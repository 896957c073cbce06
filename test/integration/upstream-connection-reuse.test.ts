import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureChunks } from '../support/mock-upstream.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

const chunks = fixtureChunks('openai/openai-text.chunks.txt');
const COMPLETION = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4.1-nano',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

let gateway: TestGateway;
let server: Server;
let origin: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (part: Buffer) => (body += part.toString('utf8')));
    request.on('end', () => {
      if (!body.includes('"stream":true')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(COMPLETION);
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(chunks.map((chunk) => `data: ${chunk}\n\n`).join('') + 'data: [DONE]\n\n');
      // Real providers end the response a moment after [DONE]; the gateway must not hang up first.
      setTimeout(() => response.end(), 20);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway = await startTestGateway();
});
afterAll(async () => {
  await gateway.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  connections = 0;
  server.closeIdleConnections();
});

async function callGateway(stream: boolean): Promise<string> {
  const response = await fetch(`${gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: 'Bearer sk-caller',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${origin}/v1`,
    },
    body: JSON.stringify({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }], ...(stream ? { stream: true } : {}) }),
  });
  expect(response.status).toBe(200);
  return response.text();
}

describe('upstream keep-alive connections', () => {
  it('reuses one upstream connection for sequential streamed requests whose upstream ends after [DONE]', async () => {
    for (let index = 0; index < 5; index++) {
      const text = await callGateway(true);
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
      // The next request starts only once the upstream has ended this one.
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(connections).toBe(1);
  });

  it('reuses one upstream connection for sequential non-streamed requests', async () => {
    for (let index = 0; index < 5; index++) expect(JSON.parse(await callGateway(false))).toMatchObject({ id: 'chatcmpl-1' });
    expect(connections).toBe(1);
  });
});
