import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostResolver } from '../../shared/src/ports/host-resolver.ts';
import { type MockUpstream, reply, startMockUpstream } from '../support/mock-upstream.ts';
import { type TestGateway, startTestGateway } from '../support/start-test-gateway.ts';

// `.invalid` never resolves through DNS (RFC 6761), so the only way the call can reach the
// upstream is through the address the SSRF guard checked.
const CUSTOM_NAME = 'llm.rebind.invalid';
const completion = JSON.stringify({
  id: 'chatcmpl-pin',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'pinned' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
});

describe('custom hosts connect to the addresses the SSRF guard checked', () => {
  let upstream: MockUpstream;
  let gateway: TestGateway;
  const answers: string[][] = [];
  const resolver: HostResolver = {
    resolve: (hostname) => Promise.resolve(hostname === CUSTOM_NAME ? (answers.shift() ?? ['127.0.0.1']) : []),
  };

  beforeAll(async () => {
    upstream = await startMockUpstream();
    upstream.handle(reply(200, completion, { 'content-type': 'application/json' }));
    // Loopback is allow-listed by range in local mode, so the checked address may be 127.0.0.1.
    gateway = await startTestGateway({}, { hostResolver: resolver });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  const client = (customHost: string) =>
    new OpenAI({
      baseURL: gateway.baseURL,
      apiKey: 'sk-caller',
      maxRetries: 0,
      defaultHeaders: { 'x-portkey-provider': 'openai', 'x-portkey-custom-host': customHost },
    });

  it('reaches the upstream through the checked address, never asking DNS for the name again', async () => {
    const port = new URL(upstream.origin).port;
    const answer = await client(`http://${CUSTOM_NAME}:${port}/v1`).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]?.message.content).toBe('pinned');
    expect(upstream.requests.at(-1)?.headers.host).toBe(`${CUSTOM_NAME}:${port}`);
  });

  it('refuses the name with 403 when the checked answer is the metadata address', async () => {
    answers.push(['169.254.169.254']);
    const failure = await client(`http://${CUSTOM_NAME}:80/v1`)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(403);
    expect((failure as InstanceType<typeof OpenAI.APIError>).code).toBe('host_not_allowed');
  });
});
