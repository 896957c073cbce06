import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import {
  chatRequest,
  complete,
  failure,
  jsonOf,
  mockProvider,
  mockRequest,
  readText,
  sseChunks,
  sseData,
  START_MS,
  streamed,
  streamedContent,
  userSays,
} from './mock-provider-harness.ts';

const GREETING = "Hello from Turnpike's mock provider.";

function firstChoice(answer: JsonObject): JsonObject {
  return (answer.choices as JsonObject[])[0] as JsonObject;
}

function messageOf(answer: JsonObject): JsonObject {
  return firstChoice(answer).message as JsonObject;
}

describe('mock chat completions', () => {
  it('answers with a deterministic OpenAI chat completion that quotes the last user message', async () => {
    const provider = mockProvider();
    const response = complete(await provider.call(chatRequest(userSays('What is the capital of France?'))));
    const answer = jsonOf(response);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(answer).toEqual({
      id: expect.stringMatching(/^chatcmpl-mock-[0-9a-f]{16}$/),
      object: 'chat.completion',
      created: START_MS / 1000,
      model: 'mock-model',
      system_fingerprint: 'fp_mock',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: `${GREETING} You said: What is the capital of France?`, refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 8, completion_tokens: 13, total_tokens: 21 },
    });
    expect(response.usage).toEqual({ promptTokens: 8, completionTokens: 13, totalTokens: 21 });
  });

  it('gives byte-identical answers to identical requests, and different ids to different ones', async () => {
    const provider = mockProvider();
    const first = complete(await provider.call(chatRequest(userSays('same'))));
    const second = complete(await provider.call(chatRequest(userSays('same'))));
    const other = jsonOf(await provider.call(chatRequest(userSays('different'))));
    expect(second.body).toEqual(first.body);
    expect(other.id).not.toBe(jsonOf(first).id);
  });

  it('echoes the requested model and defaults to mock-model', async () => {
    const provider = mockProvider();
    expect(jsonOf(await provider.call(chatRequest({ ...userSays('hi'), model: 'gpt-4o' }))).model).toBe('gpt-4o');
    expect(jsonOf(await provider.call(mockRequest({ body: userSays('hi') }))).model).toBe('mock-model');
  });

  it('joins text parts, counts image parts and quotes at most 200 characters', async () => {
    const provider = mockProvider();
    const parts = chatRequest({
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'text', text: 'please.' },
          ],
        },
      ],
    });
    expect(messageOf(jsonOf(await provider.call(parts))).content).toBe(`${GREETING} You said: Describe please. (1 image)`);

    const long = 'x'.repeat(250);
    expect(messageOf(jsonOf(await provider.call(chatRequest(userSays(long))))).content).toBe(
      `${GREETING} You said: ${'x'.repeat(200)}`,
    );
  });

  it('streams the same text it answers whole, ending with [DONE]', async () => {
    const provider = mockProvider();
    const body = userSays('Stream this back to me, please.');
    const whole = messageOf(jsonOf(await provider.call(chatRequest(body)))).content;

    const response = streamed(await provider.call(chatRequest({ ...body, stream: true })));
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await readText(response.body);
    const chunks = sseChunks(text);

    expect(streamedContent(chunks)).toEqual([whole]);
    expect(sseData(text).at(-1)).toBe('[DONE]');
    // One chunk per word, between the role chunk and the finish chunk.
    expect(chunks).toHaveLength(2 + String(whole).split(' ').length);
    expect(firstChoice(chunks[0] as JsonObject).delta).toEqual({ role: 'assistant', content: '', refusal: null });
    expect(firstChoice(chunks.at(-1) as JsonObject).finish_reason).toBe('stop');
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.created === START_MS / 1000)).toBe(true);
    // The gateway asked for usage itself, so the usage-only chunk is captured but not relayed.
    expect(chunks.some((chunk) => (chunk.choices as unknown[]).length === 0)).toBe(false);
    await expect(response.outcome).resolves.toEqual({
      usage: { promptTokens: 8, completionTokens: 13, totalTokens: 21 },
      error: undefined,
    });
  });

  it('sends the usage chunk when the caller asks for it', async () => {
    const provider = mockProvider();
    const response = streamed(
      await provider.call(chatRequest({ ...userSays('count me'), stream: true, stream_options: { include_usage: true } })),
    );
    const chunks = sseChunks(await readText(response.body));
    const last = chunks.at(-1) as JsonObject;
    expect(last.choices).toEqual([]);
    expect(last.usage).toEqual({ prompt_tokens: 2, completion_tokens: 9, total_tokens: 11 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('splits the streamed reply into the number of chunks asked for', async () => {
    const provider = mockProvider();
    const body = { ...userSays('chunk me'), stream: true, mock: { chunks: 3 } };
    const chunks = sseChunks(await readText(streamed(await provider.call(chatRequest(body))).body));
    const contentChunks = chunks.filter((chunk) => {
      const delta = firstChoice(chunk).delta as JsonObject;
      return typeof delta.content === 'string' && delta.content !== '';
    });
    expect(contentChunks).toHaveLength(3);
    expect(streamedContent(chunks)).toEqual([`${GREETING} You said: chunk me`]);
  });

  it('uses a fixed reply when the mock options give one', async () => {
    const provider = mockProvider();
    const answer = jsonOf(await provider.call(chatRequest({ ...userSays('anything'), mock: { reply: 'Fixed.' } })));
    expect(messageOf(answer).content).toBe('Fixed.');
    expect(answer.usage).toMatchObject({ completion_tokens: 1 });
  });

  it('answers n=2 with two distinct choices, whole and streamed', async () => {
    const provider = mockProvider();
    const body = { ...userSays('two please'), n: 2 };
    const answer = jsonOf(await provider.call(chatRequest(body)));
    const texts = (answer.choices as JsonObject[]).map((choice) => (choice.message as JsonObject).content);
    expect(texts).toEqual([`${GREETING} You said: two please`, `${GREETING} You said: two please (choice 2)`]);
    expect(answer.usage).toMatchObject({ completion_tokens: 9 + 11 });

    const stream = streamed(await provider.call(chatRequest({ ...body, stream: true })));
    expect(streamedContent(sseChunks(await readText(stream.body)))).toEqual(texts);
  });

  it('calls the first tool with arguments that fit its schema, whole and streamed', async () => {
    const provider = mockProvider();
    const body: JsonObject = {
      ...userSays('Weather in Paris?'),
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] }, days: { type: 'integer', minimum: 1 } },
              required: ['city', 'unit', 'days'],
            },
          },
        },
        { type: 'function', function: { name: 'other_tool' } },
      ],
    };
    const answer = jsonOf(await provider.call(chatRequest(body)));
    expect(firstChoice(answer).finish_reason).toBe('tool_calls');
    expect(messageOf(answer)).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        {
          id: expect.stringMatching(/^call_mock_[0-9a-f]{12}_0$/),
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"mock","unit":"celsius","days":1}' },
        },
      ],
    });

    const chunks = sseChunks(await readText(streamed(await provider.call(chatRequest({ ...body, stream: true }))).body));
    const calls = chunks.flatMap((chunk) => ((firstChoice(chunk).delta as JsonObject).tool_calls as JsonObject[] | undefined) ?? []);
    expect((calls[0]?.function as JsonObject).name).toBe('get_weather');
    expect(calls.map((call) => (call.function as JsonObject).arguments).join('')).toBe('{"city":"mock","unit":"celsius","days":1}');
    expect(firstChoice(chunks.at(-1) as JsonObject).finish_reason).toBe('tool_calls');
  });

  it('calls the tool that tool_choice names, and no tool when tool_choice is none', async () => {
    const provider = mockProvider();
    const tools = [
      { type: 'function', function: { name: 'first' } },
      { type: 'function', function: { name: 'second' } },
    ];
    const named = jsonOf(
      await provider.call(chatRequest({ ...userSays('go'), tools, tool_choice: { type: 'function', function: { name: 'second' } } })),
    );
    expect(((messageOf(named).tool_calls as JsonObject[])[0]?.function as JsonObject).name).toBe('second');

    const none = jsonOf(await provider.call(chatRequest({ ...userSays('go'), tools, tool_choice: 'none' })));
    expect(messageOf(none).content).toBe(`${GREETING} You said: go`);
  });

  it('answers a tool result with text that mentions it', async () => {
    const provider = mockProvider();
    const answer = jsonOf(
      await provider.call(
        chatRequest({
          messages: [
            { role: 'user', content: 'Weather?' },
            { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
            { role: 'tool', tool_call_id: 'call_1', content: '{"temperature": 21}' },
          ],
          tools: [{ type: 'function', function: { name: 'get_weather' } }],
        }),
      ),
    );
    expect(firstChoice(answer).finish_reason).toBe('stop');
    expect(messageOf(answer).content).toBe(`${GREETING} The tool returned: {"temperature": 21}`);
  });

  it('answers JSON for json_object and a schema-shaped object for json_schema', async () => {
    const provider = mockProvider();
    const jsonObject = jsonOf(await provider.call(chatRequest({ ...userSays('json'), response_format: { type: 'json_object' } })));
    expect(JSON.parse(String(messageOf(jsonObject).content))).toEqual({ reply: `${GREETING} You said: json` });

    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'number' }, tags: { type: 'array', items: { type: 'string' } }, ok: { type: 'boolean' } },
      required: ['name', 'age', 'tags', 'ok'],
      additionalProperties: false,
    };
    const jsonSchema = jsonOf(
      await provider.call(
        chatRequest({ ...userSays('json'), response_format: { type: 'json_schema', json_schema: { name: 'person', strict: true, schema } } }),
      ),
    );
    expect(JSON.parse(String(messageOf(jsonSchema).content))).toEqual({ name: 'mock', age: 1, tags: ['mock'], ok: true });
  });

  it('includes deterministic logprobs when asked', async () => {
    const provider = mockProvider();
    const body = { ...userSays('hi'), logprobs: true, top_logprobs: 2 };
    const first = firstChoice(jsonOf(await provider.call(chatRequest(body))));
    const second = firstChoice(jsonOf(await provider.call(chatRequest(body))));
    const content = (first.logprobs as JsonObject).content as JsonObject[];
    expect(content.map((entry) => entry.token).join('')).toBe(`${GREETING} You said: hi`);
    expect(content[0]).toMatchObject({ token: 'Hello', bytes: [72, 101, 108, 108, 111] });
    expect(content[0]?.logprob).toBeLessThanOrEqual(0);
    expect(content[0]?.top_logprobs).toHaveLength(2);
    expect(second.logprobs).toEqual(first.logprobs);
  });

  it('stops at max_tokens words with finish_reason length', async () => {
    const provider = mockProvider();
    const answer = jsonOf(await provider.call(chatRequest({ ...userSays('long'), max_tokens: 3 })));
    expect(messageOf(answer).content).toBe("Hello from Turnpike's");
    expect(firstChoice(answer).finish_reason).toBe('length');
  });

  it('refuses a request without messages with an OpenAI-shaped 400', async () => {
    const provider = mockProvider();
    const error = await failure(provider.call(chatRequest({ messages: [] })));
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error).toMatchObject({ status: 400, param: 'messages', provider: 'mock', retryable: false });
  });
});

describe('mock legacy completions', () => {
  const base = { endpoint: 'completions' as const, path: '/completions' };

  it('answers a prompt with text, whole and streamed alike', async () => {
    const provider = mockProvider();
    const body = { model: 'mock-model', prompt: 'Say this is a test' };
    const answer = jsonOf(await provider.call(chatRequest(body, { ...base, body })));
    expect(answer).toMatchObject({
      id: expect.stringMatching(/^cmpl-mock-/),
      object: 'text_completion',
      choices: [{ index: 0, text: `${GREETING} You said: Say this is a test`, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 5, completion_tokens: 12, total_tokens: 17 },
    });

    const streamBody = { ...body, stream: true };
    const response = streamed(await provider.call(chatRequest(streamBody, { ...base, body: streamBody, stream: true })));
    const chunks = sseChunks(await readText(response.body));
    const text = chunks.map((chunk) => ((chunk.choices as JsonObject[])[0]?.text as string | undefined) ?? '').join('');
    expect(text).toBe(`${GREETING} You said: Say this is a test`);
    await expect(response.outcome).resolves.toMatchObject({ usage: { promptTokens: 5, completionTokens: 12 } });
  });
});
