import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { fixtureChunks, fixtureText, type MockUpstream, reply, sseFrames } from '../support/mock-upstream.ts';
import type { TestGateway } from '../support/start-test-gateway.ts';
import { useGatewayAndUpstream } from '../support/gateway-and-upstream.ts';

let gateway: TestGateway;
let upstream: MockUpstream;

useGatewayAndUpstream((parts) => {
  ({ gateway, upstream } = parts);
});

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream' };

/** What the Anthropic SDK put on the wire, captured by its `fetch` option. */
interface SentRequest {
  url: string;
  headers: Headers;
  body: string;
}

/** An Anthropic SDK client on the gateway (the SDK appends /v1/messages to baseURL). */
function anthropicClient(headers: Record<string, string> = {}, sent: SentRequest[] = []): Anthropic {
  return new Anthropic({
    apiKey: 'sk-ant-test',
    baseURL: gateway.url,
    maxRetries: 0,
    defaultHeaders: headers,
    fetch: async (input: string | URL | Request, init?: RequestInit) => {
      sent.push({ url: String(input), headers: new Headers(init?.headers), body: typeof init?.body === 'string' ? init.body : '' });
      return fetch(input, init);
    },
  });
}

/** A client whose calls go to `provider` at the mock upstream. */
function upstreamClient(provider: string, sent: SentRequest[] = []): Anthropic {
  return anthropicClient({ 'x-portkey-provider': provider, 'x-portkey-custom-host': `${upstream.origin}/v1` }, sent);
}

function sentJson(index = 0): unknown {
  return JSON.parse(upstream.requests[index]?.body.toString() ?? '{}');
}

const weatherTool: Anthropic.Tool = {
  name: 'get_weather',
  description: 'The current weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

const openAIText = JSON.parse(fixtureText('openai/openai-text.json')) as { choices: Array<{ message: { content: string } }> };
const openAITextChunks = fixtureChunks('openai/openai-text.chunks.txt');
const openAIStreamedText = openAITextChunks
  .map((line) => JSON.parse(line) as { choices: Array<{ delta?: { content?: string } }> })
  .map((chunk) => chunk.choices[0]?.delta?.content ?? '')
  .join('');

function textOf(message: Anthropic.Message): string {
  return message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
}

describe('POST /v1/messages on the built-in mock provider (no configuration)', () => {
  const client = (): Anthropic => anthropicClient();

  it('creates a message and streams the same text', async () => {
    const params = { model: 'claude-sonnet-4-5', max_tokens: 200, messages: [{ role: 'user' as const, content: 'Tell me about gateways.' }] };
    const created = await client().messages.create(params);
    expect(created).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      stop_reason: 'end_turn',
      stop_sequence: null,
      content: [{ type: 'text', text: "Hello from Turnpike's mock provider. You said: Tell me about gateways." }],
    });
    expect(created.id).toMatch(/^msg_/);

    const stream = client().messages.stream(params);
    let streamed = '';
    stream.on('text', (delta) => {
      streamed += delta;
    });
    const final = await stream.finalMessage();
    expect(streamed).toBe(textOf(created));
    expect(final.content).toEqual(created.content);
    expect(final.usage).toEqual(created.usage);
    expect(final.usage.output_tokens).toBeGreaterThan(0);

    const records = await gateway.waitForRecords(2);
    expect(records).toHaveLength(2);
    expect(records.map((record) => [record.endpoint, record.provider, record.status, record.stream])).toEqual([
      ['messages', 'mock', 200, false],
      ['messages', 'mock', 200, true],
    ]);
    expect(records[1]?.usage).toEqual(records[0]?.usage);
    expect(records[1]?.errorCode).toBeUndefined();
  });

  it('sends the events of a stream in Anthropic order', async () => {
    const stream = await client().messages.create({ model: 'm', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(new Set(types.slice(2, -3))).toEqual(new Set(['content_block_delta']));
  });

  it('runs a tool use round trip, streamed and not', async () => {
    const question: Anthropic.MessageParam = { role: 'user', content: 'Weather in Oslo?' };
    const first = await client().messages.create({ model: 'm', max_tokens: 100, tools: [weatherTool], messages: [question] });
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content).toHaveLength(1);
    const toolUse = first.content[0];
    if (toolUse?.type !== 'tool_use') throw new Error('expected a tool_use block');
    expect(toolUse).toMatchObject({ name: 'get_weather', input: { city: expect.any(String) } });

    const streamedCall = await client().messages.stream({ model: 'm', max_tokens: 100, tools: [weatherTool], messages: [question] }).finalMessage();
    expect(streamedCall.stop_reason).toBe('tool_use');
    expect(streamedCall.content).toEqual([{ type: 'tool_use', id: expect.any(String), name: 'get_weather', input: toolUse.input }]);

    const answer = await client().messages.create({
      model: 'm',
      max_tokens: 100,
      tools: [weatherTool],
      messages: [
        question,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'Sunny, 21 °C' }] },
      ],
    });
    expect(answer.stop_reason).toBe('end_turn');
    expect(textOf(answer)).toBe("Hello from Turnpike's mock provider. The tool returned: Sunny, 21 °C");
  });
});

describe('POST /v1/messages on an OpenAI-compatible provider', () => {
  it('sends the exact OpenAI request and answers in the Anthropic format', async () => {
    upstream.handle(reply(200, fixtureText('openai/openai-text.json'), { ...JSON_HEADERS, 'x-request-id': 'req_42' }));
    const { data, response } = await upstreamClient('openai')
      .messages.create({
        model: 'gpt-4.1-nano',
        max_tokens: 400,
        system: [{ type: 'text', text: 'You invent holidays.' }],
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Invent a holiday for this picture.' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            ],
          },
        ],
        tools: [weatherTool],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        stop_sequences: ['THE END'],
        // The Messages API takes temperature; this SDK version no longer types it.
        temperature: 0.7,
        metadata: { user_id: 'user-123' },
      } as Anthropic.MessageCreateParamsNonStreaming)
      .withResponse();

    const sent = upstream.requests[0];
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-ant-test');
    expect(sentJson()).toEqual({
      model: 'gpt-4.1-nano',
      messages: [
        { role: 'system', content: 'You invent holidays.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Invent a holiday for this picture.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
      ],
      max_tokens: 400,
      stop: ['THE END'],
      temperature: 0.7,
      tools: [
        {
          type: 'function',
          function: { name: 'get_weather', description: 'The current weather in a city', parameters: weatherTool.input_schema },
        },
      ],
      tool_choice: 'auto',
      parallel_tool_calls: false,
      user: 'user-123',
    });

    expect(data).toEqual({
      id: 'msg_D8Z5f52zQqikDBEKQMQoYcWMcWPeU',
      type: 'message',
      role: 'assistant',
      model: 'gpt-4.1-nano-2025-04-14',
      content: [{ type: 'text', text: openAIText.choices[0]?.message.content }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 16, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 363 },
    });
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-portkey-provider')).toBe('openai');
    expect(response.headers.get('x-request-id')).toBe('req_42');
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ endpoint: 'messages', provider: 'openai', model: 'gpt-4.1-nano', status: 200, stream: false });
    expect(record?.usage).toMatchObject({ promptTokens: 16, completionTokens: 363 });
  });

  it('streams a recorded OpenAI stream as Anthropic events, with usage in message_delta', async () => {
    upstream.handle(reply(200, sseFrames(openAITextChunks), SSE_HEADERS));
    const stream = upstreamClient('openai').messages.stream({ model: 'gpt-4.1-nano', max_tokens: 400, messages: [{ role: 'user', content: 'Invent a holiday.' }] });
    let streamed = '';
    stream.on('text', (delta) => {
      streamed += delta;
    });
    const final = await stream.finalMessage();
    expect(streamed).toBe(openAIStreamedText);
    expect(final).toMatchObject({
      id: 'msg_D8Z5oo6uDh67AD85p73ksdT1KxhE0',
      model: 'gpt-4.1-nano-2025-04-14',
      stop_reason: 'end_turn',
      usage: { input_tokens: 16, output_tokens: 300, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
    });
    // The provider asks for the usage chunk itself; the request carries no Anthropic field.
    expect(sentJson()).toEqual({
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: 'Invent a holiday.' }],
      max_tokens: 400,
      stream: true,
      stream_options: { include_usage: true },
    });
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ endpoint: 'messages', status: 200, stream: true, usage: { promptTokens: 16, completionTokens: 300 } });
    expect(record?.errorCode).toBeUndefined();
  });

  it('turns reasoning and a tool call into thinking and tool_use blocks, streamed and not', async () => {
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: 'grok-3-mini',
      max_tokens: 400,
      tools: [{ name: 'weather', input_schema: { type: 'object', properties: { location: { type: 'string' } } } }],
      messages: [{ role: 'user', content: 'Weather in San Francisco?' }],
    };
    upstream.handle(reply(200, fixtureText('openai-compatible/xai-tool-call.json'), JSON_HEADERS));
    const created = await upstreamClient('openai').messages.create(params);
    expect(created.stop_reason).toBe('tool_use');
    expect(created.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(created.content[1]).toEqual({ type: 'tool_use', id: 'call_46427107', name: 'weather', input: { location: 'San Francisco' } });

    upstream.handle(reply(200, sseFrames(fixtureChunks('openai-compatible/xai-tool-call.chunks.txt')), SSE_HEADERS));
    const final = await upstreamClient('openai').messages.stream(params).finalMessage();
    expect(final.stop_reason).toBe('tool_use');
    expect(final.content.map((block) => block.type)).toEqual(['thinking', 'tool_use']);
    expect(final.content[1]).toEqual({ type: 'tool_use', id: 'call_79382389', name: 'weather', input: { location: 'San Francisco' } });
    expect(final.usage).toMatchObject({ input_tokens: 1, cache_read_input_tokens: 306, output_tokens: 26 });
  });

  it('drops fields only Anthropic understands and says so in x-turnpike-warnings', async () => {
    upstream.handle(reply(200, fixtureText('openai/openai-text.json'), JSON_HEADERS));
    const { response } = await upstreamClient('openai')
      .messages.create({ model: 'gpt-4.1-nano', max_tokens: 10, service_tier: 'auto', messages: [{ role: 'user', content: 'Hi' }] })
      .withResponse();
    expect(response.headers.get('x-turnpike-warnings')).toBe('service_tier');
    expect(sentJson()).toEqual({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10 });
  });
});

describe('errors on POST /v1/messages come in the Anthropic shape', () => {
  it('turns an upstream 429 into a RateLimitError that keeps the provider message', async () => {
    const body = { error: { message: 'Rate limit reached for gpt-4.1-nano.', type: 'requests', code: 'rate_limit_exceeded', param: null } };
    upstream.handle(reply(429, JSON.stringify(body), { ...JSON_HEADERS, 'retry-after': '7' }));
    const failure = await upstreamClient('openai')
      .messages.create({ model: 'gpt-4.1-nano', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.RateLimitError);
    const error = failure as InstanceType<typeof Anthropic.RateLimitError>;
    expect(error.status).toBe(429);
    expect(error.error).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Rate limit reached for gpt-4.1-nano.' } });
    expect(error.headers?.get('retry-after')).toBe('7');
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ endpoint: 'messages', status: 429 });
  });

  it('turns an upstream 529 into overloaded_error', async () => {
    upstream.handle(reply(529, JSON.stringify({ error: { message: 'Overloaded', type: 'server_error' } }), JSON_HEADERS));
    const failure = await upstreamClient('openai')
      .messages.create({ model: 'gpt-4.1-nano', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.InternalServerError);
    expect(failure).toMatchObject({ status: 529, type: 'overloaded_error', error: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } });
  });

  it('ends a stream cut by the upstream with an error the SDK raises', async () => {
    upstream.handle(reply(200, sseFrames(openAITextChunks.slice(0, 5), false), SSE_HEADERS));
    const stream = upstreamClient('openai').messages.stream({ model: 'gpt-4.1-nano', max_tokens: 400, messages: [{ role: 'user', content: 'Hi' }] });
    let streamed = '';
    stream.on('text', (delta) => {
      streamed += delta;
    });
    const failure = await stream.finalMessage().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect(failure).toMatchObject({ type: 'api_error', error: { type: 'error', error: { type: 'api_error', message: 'The stream from openai ended before it was complete.' } } });
    expect(streamed.length).toBeGreaterThan(0);
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, stream: true, errorCode: 'stream_error', errorMessage: 'The stream from openai ended before it was complete.' });
  });

  it('passes an error event from the upstream stream on as an Anthropic error event', async () => {
    const failing = [openAITextChunks[0] ?? '', JSON.stringify({ error: { message: 'The server had an error while processing your request.', type: 'server_error' } })];
    upstream.handle(reply(200, sseFrames(failing, false), SSE_HEADERS));
    const stream = await upstreamClient('openai').messages.create({ model: 'gpt-4.1-nano', max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'Hi' }] });
    const types: string[] = [];
    const failure = await (async () => {
      for await (const event of stream) types.push(event.type);
    })().catch((error: unknown) => error);
    expect(types).toEqual(['message_start']);
    expect(failure).toMatchObject({ error: { type: 'error', error: { type: 'api_error', message: 'The server had an error while processing your request.' } } });
    const [record] = await gateway.waitForRecords(1);
    expect(record?.errorMessage).toBe('The server had an error while processing your request.');
  });

  it('refuses a server tool for a provider that cannot run it, before calling the provider', async () => {
    const failure = await upstreamClient('openai')
      .messages.create({ model: 'gpt-4.1-nano', max_tokens: 10, tools: [{ type: 'web_search_20250305', name: 'web_search' }], messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Anthropic.BadRequestError);
    expect(failure).toMatchObject({ error: { type: 'error', error: { type: 'invalid_request_error' } } });
    expect((failure as Error).message).toContain('can only be sent to the anthropic provider');
    expect(upstream.requests).toHaveLength(0);
  });

  it('answers a body that is not JSON in the Anthropic shape', async () => {
    const response = await fetch(`${gateway.url}/v1/messages`, { method: 'POST', headers: JSON_HEADERS, body: '{"model":' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('not valid JSON') } });
  });

  it('keeps the OpenAI error shape on the other endpoints', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: JSON_HEADERS, body: '{"model":' });
    expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_json' } });
  });
});

/** Anthropic's own SSE framing for a `*.chunks.txt` fixture: each event named by its type. */
function anthropicSse(name: string): string {
  return fixtureChunks(name)
    .map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`)
    .join('');
}

describe('POST /v1/messages on the anthropic provider (native)', () => {
  it('sends the caller body to Anthropic unchanged and returns its bytes unchanged', async () => {
    const native = fixtureText('anthropic/anthropic-text.json');
    upstream.handle(reply(200, native, { ...JSON_HEADERS, 'request-id': 'req_native_1' }));
    const sent: SentRequest[] = [];
    const response = await upstreamClient('anthropic', sent)
      .messages.create({
        model: 'claude-sonnet-4-5-20250929',
        max_tokens: 1024,
        system: [{ type: 'text', text: 'Be kind.', cache_control: { type: 'ephemeral' } }],
        thinking: { type: 'disabled' },
        messages: [{ role: 'user', content: 'Hello, how are you?' }],
      })
      .asResponse();
    expect(await response.text()).toBe(native);
    expect(response.headers.get('request-id')).toBe('req_native_1');
    expect(response.headers.get('x-portkey-provider')).toBe('anthropic');

    const received = upstream.requests[0];
    expect(received?.url).toBe('/v1/messages');
    expect(received?.body.toString()).toBe(sent[0]?.body);
    expect(received?.headers['x-api-key']).toBe('sk-ant-test');
    expect(received?.headers['anthropic-version']).toBe(sent[0]?.headers.get('anthropic-version'));
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ endpoint: 'messages', provider: 'anthropic', status: 200, usage: { promptTokens: 12, completionTokens: 29 } });
  });

  it('relays an Anthropic stream byte for byte and reads its usage on the way', async () => {
    const sse = anthropicSse('anthropic/anthropic-text.chunks.txt');
    upstream.handle(reply(200, sse, SSE_HEADERS));
    const sent: SentRequest[] = [];
    const response = await upstreamClient('anthropic', sent)
      .messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 1024, stream: true, messages: [{ role: 'user', content: 'Hello, how are you?' }] })
      .asResponse();
    expect(await response.text()).toBe(sse);
    expect(upstream.requests[0]?.body.toString()).toBe(sent[0]?.body);
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ provider: 'anthropic', status: 200, stream: true, usage: { promptTokens: 12 } });
    expect(record?.usage?.completionTokens).toBeGreaterThan(0);
    expect(record?.errorCode).toBeUndefined();
  });

  it('streams through the SDK, the text reassembling to the recorded deltas', async () => {
    upstream.handle(reply(200, anthropicSse('anthropic/anthropic-text.chunks.txt'), SSE_HEADERS));
    const final = await upstreamClient('anthropic')
      .messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello, how are you?' }] })
      .finalMessage();
    // The recorded stream and the recorded whole answer are two different replies, so the
    // stream is checked against its own deltas.
    const recorded = fixtureChunks('anthropic/anthropic-text.chunks.txt')
      .map((line) => JSON.parse(line) as { delta?: { text?: string } })
      .map((event) => event.delta?.text ?? '')
      .join('');
    expect(textOf(final)).toBe(recorded);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('keeps Anthropic error types and messages', async () => {
    upstream.handle(reply(529, fixtureText('anthropic/written/error-529-overloaded.json'), JSON_HEADERS));
    const failure = await upstreamClient('anthropic')
      .messages.create({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: unknown) => error);
    const native = JSON.parse(fixtureText('anthropic/written/error-529-overloaded.json')) as { error: { message: string } };
    expect(failure).toMatchObject({ status: 529, error: { type: 'error', error: { type: 'overloaded_error', message: native.error.message } } });
  });

  it('ends a native stream cut before message_stop with an error event', async () => {
    const chunks = fixtureChunks('anthropic/anthropic-text.chunks.txt').slice(0, 5);
    upstream.handle(reply(200, chunks.map((line) => `event: ${(JSON.parse(line) as { type: string }).type}\ndata: ${line}\n\n`).join(''), SSE_HEADERS));
    const stream = upstreamClient('anthropic').messages.stream({ model: 'claude-sonnet-4-5-20250929', max_tokens: 10, messages: [{ role: 'user', content: 'Hi' }] });
    const failure = await stream.finalMessage().catch((error: unknown) => error);
    expect(failure).toMatchObject({ error: { type: 'error', error: { type: 'api_error', message: 'The stream from anthropic ended before it was complete.' } } });
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ errorCode: 'stream_error', usage: { promptTokens: 12 } });
  });
});
