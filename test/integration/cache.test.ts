import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDynalite } from '../../shared/src/adapters/local/start-dynalite.ts';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import type { Clock } from '../../shared/src/ports/clock.ts';
import type { RequestRecord } from '../../shared/src/ports/request-log-sink.ts';
import type { GatewayConfig } from '../../shared/src/protocol/config-schema.ts';
import { type MockUpstream, startMockUpstream } from '../support/mock-upstream.ts';
import { type TestGateway, startTestGateway } from '../support/start-test-gateway.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const POEM = 'Please write a short poem about the autumn leaves falling in the quiet park.';

/** Real time plus an offset the expiry test moves forward, so nothing sleeps. */
const offsetClock: Clock & { offsetMs: number } = {
  offsetMs: 0,
  now: () => Date.now() + offsetClock.offsetMs,
  sleep: (ms, signal) => systemClock.sleep(ms, signal),
  setTimer: (ms, callback) => systemClock.setTimer(ms, callback),
};

let gateway: TestGateway;
let upstream: MockUpstream;
/** Requests sent to `gateway`: each writes one record once its cache write has finished. */
let sent = 0;
let promptNumber = 0;

/** What the mock provider answers: numbered by arrival, so a replayed answer shows which call made it. */
type Answer = 'ok' | 'error' | 'cut-stream' | 'huge';
let answerKind: Answer = 'ok';

function lastUserText(body: Record<string, unknown>): string {
  const messages = body.messages as Array<{ content: string }> | undefined;
  return messages?.at(-1)?.content ?? String(body.prompt ?? '');
}

function chunk(delta: Record<string, unknown>, finishReason: string | null, extra: Record<string, unknown> = {}): string {
  const payload = { id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...extra };
  return `data: ${JSON.stringify(payload)}\n\n`;
}

function answerUpstream(): void {
  upstream.handle((_request, response, raw) => {
    const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    const number = upstream.requests.length;
    if (answerKind === 'error') {
      response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'upstream broke', type: 'server_error' } }));
      return;
    }
    const content = answerKind === 'huge' ? randomBytes(600 * 1024).toString('base64') : `Answer ${number} to: ${lastUserText(body)}`;
    const usage = { prompt_tokens: 9, completion_tokens: 6, total_tokens: 15 };
    if (body.stream !== true) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: `chatcmpl-${number}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: 'gpt-4o-mini',
          choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'stop' }],
          usage,
        }),
      );
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(chunk({ role: 'assistant', content: '' }, null));
    const half = Math.floor(content.length / 2);
    response.write(chunk({ content: content.slice(0, half) }, null));
    if (answerKind === 'cut-stream') {
      // Once the first chunks are on the wire, so the gateway has started answering.
      setTimeout(() => response.destroy(), 20);
      return;
    }
    response.write(chunk({ content: content.slice(half) }, null));
    response.write(chunk({}, 'stop'));
    response.write(`data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mini', choices: [], usage })}\n\n`);
    response.end('data: [DONE]\n\n');
  });
}

/** A config for the mock upstream with this cache setting (null: no cache). */
function config(cache: GatewayConfig['cache'] | null = { mode: 'simple' }): GatewayConfig {
  return { provider: 'openai', api_key: 'sk-config', custom_host: `${upstream.origin}/v1`, ...(cache === null ? {} : { cache }) };
}

/** A prompt no earlier test used: every test starts with an empty cache for its own prompts. */
function freshPrompt(text = 'Say something kind'): string {
  promptNumber += 1;
  return `${text} (${promptNumber})`;
}

interface Sent {
  status: number;
  cacheStatus: string | null;
  text: string;
  record: RequestRecord | undefined;
}

async function chat(body: Record<string, unknown> | string, options: { config?: GatewayConfig; headers?: Record<string, string>; url?: string } = {}): Promise<Sent> {
  const response = await fetch(`${options.url ?? gateway.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-portkey-config': JSON.stringify(options.config ?? config()), ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  if (options.url !== undefined) return { status: response.status, cacheStatus: response.headers.get('x-portkey-cache-status'), text, record: undefined };
  sent += 1;
  const records = await gateway.waitForRecords(sent);
  return { status: response.status, cacheStatus: response.headers.get('x-portkey-cache-status'), text, record: records[sent - 1] };
}

const contentOf = (sentAnswer: Sent): unknown => (JSON.parse(sentAnswer.text) as { choices: Array<{ message: { content: unknown } }> }).choices[0]?.message.content;

function sdk(cache: GatewayConfig['cache'] = { mode: 'simple' }): OpenAI {
  return new OpenAI({ apiKey: 'unused', baseURL: gateway.baseURL, maxRetries: 0, defaultHeaders: { 'x-portkey-config': JSON.stringify(config(cache)) } });
}

beforeAll(async () => {
  [gateway, upstream] = await Promise.all([startTestGateway({}, { clock: offsetClock }), startMockUpstream()]);
});
afterAll(async () => {
  await Promise.all([gateway.close(), upstream.close()]);
});
beforeEach(() => {
  upstream.reset();
  answerKind = 'ok';
  answerUpstream();
});

describe('simple cache', () => {
  it('reports DISABLED without a cache config, and calls upstream every time', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: freshPrompt() }] };
    const first = await chat(body, { config: config(null) });
    const second = await chat(body, { config: config(null) });
    expect([first.cacheStatus, second.cacheStatus]).toEqual(['DISABLED', 'DISABLED']);
    expect(upstream.requests).toHaveLength(2);
    expect(second.record?.cacheStatus).toBeUndefined();
  });

  it('answers a second identical request without reaching the upstream', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: freshPrompt() }], temperature: 0.2 };
    const first = await chat(body);
    const second = await chat(body);
    expect(first.cacheStatus).toBe('MISS');
    expect(first.record).toMatchObject({ cacheStatus: 'MISS', cacheWrite: 'stored' });
    expect(second.cacheStatus).toBe('HIT');
    expect(second.record).toMatchObject({ cacheStatus: 'HIT', status: 200, provider: 'openai', model: 'gpt-4o-mini' });
    expect(second.text).toBe(first.text);
    expect(upstream.requests).toHaveLength(1);
  });

  it('hits for the same request written with other key order and whitespace, and ignores user and metadata', async () => {
    const prompt = freshPrompt();
    await chat(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":${JSON.stringify(prompt)}}],"temperature":0.5,"max_tokens":20}`);
    const reordered = await chat(
      `{\n  "max_tokens": 20,\n  "user": "someone-else",\n  "temperature" : 0.50,\n  "messages" : [ { "content": ${JSON.stringify(prompt)}, "role": "user" } ],\n  "model": "gpt-4o-mini"\n}`,
      { headers: { 'x-portkey-trace-id': 'another-trace', 'x-portkey-metadata': '{"team":"b"}' } },
    );
    expect(reordered.cacheStatus).toBe('HIT');
    expect(upstream.requests).toHaveLength(1);
  });

  it('misses when the temperature changes', async () => {
    const prompt = freshPrompt();
    await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], temperature: 0.2 });
    const changed = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], temperature: 0.3 });
    expect(changed.cacheStatus).toBe('MISS');
    expect(upstream.requests).toHaveLength(2);
  });

  it('bypasses the read on x-portkey-cache-force-refresh and refreshes the entry', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: freshPrompt() }] };
    await chat(body);
    const refreshed = await chat(body, { headers: { 'x-portkey-cache-force-refresh': 'true' } });
    expect(refreshed.cacheStatus).toBe('REFRESH');
    expect(upstream.requests).toHaveLength(2);
    const after = await chat(body);
    expect(after.cacheStatus).toBe('HIT');
    expect(contentOf(after)).toBe(contentOf(refreshed));
    expect(upstream.requests).toHaveLength(2);
  });

  it('lets entries expire after max_age', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: freshPrompt() }] };
    const oneSecond = { config: config({ mode: 'simple', max_age: 1 }) };
    await chat(body, oneSecond);
    expect((await chat(body, oneSecond)).cacheStatus).toBe('HIT');
    offsetClock.offsetMs += 2_000;
    expect((await chat(body, oneSecond)).cacheStatus).toBe('MISS');
    expect(upstream.requests).toHaveLength(2);
  });

  it('stores neither errors nor truncated streams', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: freshPrompt() }] };
    answerKind = 'error';
    expect((await chat(body)).status).toBe(500);
    answerKind = 'cut-stream';
    const cut = await chat({ ...body, stream: true });
    expect(cut.status).toBe(200);
    expect(cut.text).toMatch(/"error"/);
    expect(cut.text).not.toMatch(/\[DONE\]/);
    expect(cut.record?.cacheWrite).toBeUndefined();
    answerKind = 'ok';
    const before = upstream.requests.length;
    expect((await chat(body)).cacheStatus).toBe('MISS');
    expect(upstream.requests).toHaveLength(before + 1);
  });

  it('does not cache an answer too large for one item, and counts it', async () => {
    answerKind = 'huge';
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: freshPrompt() }] };
    const first = await chat(body);
    expect(first.status).toBe(200);
    expect(first.record?.cacheWrite).toBe('too_large');
    expect((await chat(body)).cacheStatus).toBe('MISS');
    expect(upstream.requests).toHaveLength(2);
  });
});

describe('streams and the cache', () => {
  it('replays an answer stored from a non-streamed request as a stream the openai SDK parses', async () => {
    const messages = [{ role: 'user' as const, content: freshPrompt() }];
    const stored = await sdk().chat.completions.create({ model: 'gpt-4o-mini', messages });
    sent += 1;
    await gateway.waitForRecords(sent);
    const { data: stream, response } = await sdk().chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } }).withResponse();
    let content = '';
    let finish: string | null = null;
    let usage: number | undefined;
    for await (const part of stream) {
      content += part.choices[0]?.delta.content ?? '';
      finish = part.choices[0]?.finish_reason ?? finish;
      usage = part.usage?.total_tokens ?? usage;
    }
    sent += 1;
    await gateway.waitForRecords(sent);
    expect(response.headers.get('x-portkey-cache-status')).toBe('HIT');
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect({ content, finish, usage }).toEqual({ content: stored.choices[0]?.message.content, finish: 'stop', usage: 15 });
    expect(upstream.requests).toHaveLength(1);
  });

  it('stores a streamed answer after its last byte and serves it to streamed and plain requests', async () => {
    const messages = [{ role: 'user' as const, content: freshPrompt() }];
    const runner = sdk().chat.completions.stream({ model: 'gpt-4o-mini', messages });
    const streamed = await runner.finalChatCompletion();
    sent += 1;
    const records = await gateway.waitForRecords(sent);
    expect(records[sent - 1]).toMatchObject({ cacheStatus: 'MISS', cacheWrite: 'stored', stream: true });

    const plain = await sdk().chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
    sent += 1;
    await gateway.waitForRecords(sent);
    expect(plain.response.headers.get('x-portkey-cache-status')).toBe('HIT');
    expect(plain.data.choices[0]?.message.content).toBe(streamed.choices[0]?.message.content);
    expect(plain.data.usage?.total_tokens).toBe(15);

    const again = await sdk().chat.completions.stream({ model: 'gpt-4o-mini', messages }).finalChatCompletion();
    sent += 1;
    await gateway.waitForRecords(sent);
    expect(again.choices[0]?.message.content).toBe(streamed.choices[0]?.message.content);
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('other endpoints', () => {
  const mock = (): OpenAI =>
    new OpenAI({ apiKey: 'unused', baseURL: gateway.baseURL, maxRetries: 0, defaultHeaders: { 'x-portkey-config': JSON.stringify({ provider: 'mock', cache: { mode: 'simple' } }) } });

  it('caches text completions, and replays them as a stream', async () => {
    const prompt = freshPrompt('Once upon a time');
    const first = await mock().completions.create({ model: 'mock-instruct', prompt }).withResponse();
    sent += 1;
    await gateway.waitForRecords(sent);
    const { data: stream, response } = await mock().completions.create({ model: 'mock-instruct', prompt, stream: true }).withResponse();
    let text = '';
    for await (const part of stream) text += part.choices[0]?.text ?? '';
    sent += 1;
    await gateway.waitForRecords(sent);
    expect([first.response.headers.get('x-portkey-cache-status'), response.headers.get('x-portkey-cache-status')]).toEqual(['MISS', 'HIT']);
    expect(text).toBe(first.data.choices[0]?.text);
  });

  it('caches embeddings', async () => {
    const input = freshPrompt('embed me');
    const first = await mock().embeddings.create({ model: 'mock-embed', input }).withResponse();
    sent += 1;
    await gateway.waitForRecords(sent);
    const second = await mock().embeddings.create({ model: 'mock-embed', input }).withResponse();
    sent += 1;
    await gateway.waitForRecords(sent);
    expect(second.response.headers.get('x-portkey-cache-status')).toBe('HIT');
    expect(second.data.data[0]?.embedding).toEqual(first.data.data[0]?.embedding);
  });
});

describe('semantic cache (local n-gram embedder)', () => {
  it('answers a near-duplicate prompt with SEMANTIC HIT and a different question with MISS', async () => {
    const semantic = { config: config({ mode: 'semantic' }) };
    const poem = `${POEM} Number ${freshPrompt('')}`;
    const first = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: poem }] }, semantic);
    expect(first.cacheStatus).toBe('MISS');
    const typo = await chat({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: poem.replace('autumn', 'autum') }] }, semantic);
    expect(typo.cacheStatus).toBe('SEMANTIC HIT');
    expect(typo.text).toBe(first.text);
    const other = await chat(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Please write a short poem about the spring flowers blooming in the busy city. ${promptNumber}` }] },
      semantic,
    );
    expect(other.cacheStatus).toBe('MISS');
    expect(upstream.requests).toHaveLength(2);
  });

  it('checks the exact entry first, and falls back to simple mode for requests with tools', async () => {
    const semantic = { config: config({ mode: 'semantic' }) };
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `${POEM} ${freshPrompt('')}` }],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
    };
    await chat(body, semantic);
    expect((await chat(body, semantic)).cacheStatus).toBe('HIT');
    const near = await chat({ ...body, messages: [{ role: 'user', content: body.messages[0]?.content.replace('autumn', 'autum') }] }, semantic);
    expect(near.cacheStatus).toBe('MISS');
  });
});

describe('two local gateway processes on one database', () => {
  interface GatewayProcess {
    url: string;
    child: ChildProcess;
    /** Resolves once the process has logged `count` records whose cache write is stored. */
    storedWrites(count: number): Promise<void>;
  }

  async function startGatewayProcess(endpoint: string): Promise<GatewayProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/start-local-gateway.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        TURNPIKE_HOST: '127.0.0.1',
        TURNPIKE_PORT: '0',
        TURNPIKE_ADMIN_PORT: '0',
        TURNPIKE_DATA_DIR: ':memory:',
        TURNPIKE_CONFIG_FILE: '',
        TURNPIKE_DYNAMODB_ENDPOINT: endpoint,
        TURNPIKE_LOG_REQUESTS: 'true',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const waiters: Array<() => void> = [];
    child.stdout?.on('data', (part: Buffer) => {
      output += part.toString('utf8');
      for (const waiter of waiters.splice(0)) waiter();
    });
    child.stderr?.on('data', (part: Buffer) => {
      output += part.toString('utf8');
    });
    const until = (test: () => boolean, what: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what} did not happen. Output:\n${output}`)), 20_000);
        const check = (): void => {
          if (test()) {
            clearTimeout(timer);
            resolve();
          } else {
            waiters.push(check);
          }
        };
        check();
      });
    await until(() => /listening on http:\/\/\S+/.test(output), 'start-up').catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
    return {
      url,
      child,
      storedWrites: (count) => until(() => (output.match(/"cacheWrite":"stored"/g)?.length ?? 0) >= count, `${count} cache writes`),
    };
  }

  function stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  it('shares cached answers between them', async () => {
    const dynamo = await startDynalite();
    const processes: GatewayProcess[] = [];
    try {
      // Each goes into `processes` as soon as it runs, so `finally` stops it even if the other fails.
      const started = [startGatewayProcess(dynamo.endpoint), startGatewayProcess(dynamo.endpoint)].map((starting) =>
        starting.then((gatewayProcess) => {
          processes.push(gatewayProcess);
          return gatewayProcess;
        }),
      );
      const [first, second] = (await Promise.all(started)) as [GatewayProcess, GatewayProcess];
      const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: freshPrompt() }] };
      const miss = await chat(body, { url: `${first.url}/v1` });
      expect(miss.cacheStatus).toBe('MISS');
      await first.storedWrites(1);
      const hit = await chat(body, { url: `${second.url}/v1` });
      expect(hit.cacheStatus).toBe('HIT');
      expect(hit.text).toBe(miss.text);
      expect(upstream.requests).toHaveLength(1);
    } finally {
      await Promise.all(processes.map((started) => stop(started.child)));
      await dynamo.close();
    }
  }, 60_000);
});
