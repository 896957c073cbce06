import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { fixtureText, type MockUpstream, reply } from '../support/mock-upstream.ts';
import type { TestGateway } from '../support/start-test-gateway.ts';
import { openAIClientFor, useGatewayAndUpstream } from '../support/gateway-and-upstream.ts';
import { cohereChunks, cohereSse } from '../unit/providers/cohere/cohere-fixture-streams.ts';

let gateway: TestGateway;
let upstream: MockUpstream;
let client: OpenAI;

useGatewayAndUpstream((parts) => {
  ({ gateway, upstream } = parts);
  client = openAIClientFor(parts, { apiKey: 'co-caller-key', provider: 'cohere' });
});

const JSON_HEADERS = { 'content-type': 'application/json' };
const SSE_HEADERS = { 'content-type': 'text/event-stream' };
const MODEL = 'command-a-03-2025';

function sentBody(index = 0): Record<string, unknown> {
  return JSON.parse(upstream.requests[index]?.body.toString() ?? '') as Record<string, unknown>;
}

const weatherTools: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } } },
  { type: 'function', function: { name: 'cityAttractions', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } },
];

describe('the openai SDK against cohere through the gateway', () => {
  it('answers a chat completion in OpenAI shape, ignoring fields it does not know', async () => {
    const answer = { ...(JSON.parse(fixtureText('cohere/cohere-text.json')) as object), some_new_field: { nested: true } };
    upstream.handle(reply(200, JSON.stringify(answer), JSON_HEADERS));
    const { data, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'What is the capital of France?' }] })
      .withResponse();
    expect(response.headers.get('x-portkey-provider')).toBe('cohere');
    expect(data.choices[0]?.message.content).toBe('The capital of France is Paris.');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toMatchObject({ prompt_tokens: 507, completion_tokens: 10, total_tokens: 517 });
    expect(upstream.requests[0]?.url).toBe('/v2/chat');
    expect(upstream.requests[0]?.headers.authorization).toBe('Bearer co-caller-key');
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, provider: 'cohere', model: MODEL, usage: { promptTokens: 507, completionTokens: 10 } });
  });

  it('does a tool-call round trip', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-tool-call.json'), JSON_HEADERS));
    const first = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'What is the weather in San Francisco and what should I visit?' }],
      tools: weatherTools,
      tool_choice: 'required',
    });
    expect(sentBody()).toMatchObject({ tools: weatherTools, tool_choice: 'REQUIRED' });
    const message = first.choices[0]?.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const calls = (message?.tool_calls ?? []) as OpenAI.ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((call) => [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['weather', { location: 'San Francisco' }],
      ['cityAttractions', { city: 'San Francisco' }],
    ]);

    upstream.handle(reply(200, fixtureText('cohere/cohere-text.json'), JSON_HEADERS));
    await client.chat.completions.create({
      model: MODEL,
      messages: [
        { role: 'user', content: 'What is the weather in San Francisco and what should I visit?' },
        { role: 'assistant', content: message?.content ?? null, tool_calls: calls },
        { role: 'tool', tool_call_id: calls[0]?.id ?? '', content: '{"temperature":18}' },
        { role: 'tool', tool_call_id: calls[1]?.id ?? '', content: '["Golden Gate Bridge"]' },
      ],
      tools: weatherTools,
    });
    expect(sentBody(1).messages).toEqual([
      { role: 'user', content: 'What is the weather in San Francisco and what should I visit?' },
      {
        role: 'assistant',
        tool_plan: message?.content,
        tool_calls: [
          { id: 'weather_dqgshstja6p9', type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } },
          { id: 'cityAttractions_dcxfx4myvx68', type: 'function', function: { name: 'cityAttractions', arguments: '{"city":"San Francisco"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'weather_dqgshstja6p9', content: '{"temperature":18}' },
      { role: 'tool', tool_call_id: 'cityAttractions_dcxfx4myvx68', content: '["Golden Gate Bridge"]' },
    ]);
    expect(sentBody(1)).not.toHaveProperty('tool_choice');
  });

  it('sends a vision request as image_url parts', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-vision.json'), JSON_HEADERS));
    const completion = await client.chat.completions.create({
      model: 'command-a-vision-07-2025',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          ],
        },
      ],
    });
    expect(sentBody()).toEqual({
      model: 'command-a-vision-07-2025',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('The image shows a red circle centred on a white background.');
  });

  it('asks for JSON mode and returns parseable JSON', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-json-mode.json'), JSON_HEADERS));
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Generate a JSON describing a person, with the fields name and age' }],
      response_format: { type: 'json_object' },
    });
    expect(sentBody().response_format).toEqual({ type: 'json_object' });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ name: 'Ada Lovelace', age: 36 });
  });

  it('streams a reply whose text equals the non-streamed text, with usage when asked', async () => {
    upstream.handle(reply(200, cohereSse(cohereChunks('cohere-text.chunks.txt')), SSE_HEADERS));
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'What is the capital of France?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const ids = new Set<string>();
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    const nonStreamed = JSON.parse(fixtureText('cohere/cohere-text.json')) as { message: { content: Array<{ text: string }> } };
    expect(text).toBe(nonStreamed.message.content[0]?.text);
    expect(ids.size).toBe(1);
    expect(usage).toMatchObject({ prompt_tokens: 507, completion_tokens: 10, total_tokens: 517 });
    expect(sentBody()).toMatchObject({ stream: true });
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, stream: true, usage: { promptTokens: 507 } });
  });

  it('streams tool calls that the SDK assembles', async () => {
    upstream.handle(reply(200, cohereSse(cohereChunks('cohere-tool-call.chunks.txt')), SSE_HEADERS));
    const runner = client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'Weather and sights in SF?' }], tools: weatherTools });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    const calls = (final.choices[0]?.message.tool_calls ?? []) as OpenAI.ChatCompletionMessageFunctionToolCall[];
    expect(calls.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['weather_e8p4pn45zt0t', 'weather', { location: 'San Francisco' }],
      ['cityAttractions_pyxssbwnq9fq', 'cityAttractions', { city: 'San Francisco' }],
    ]);
  });

  it('ends a stream that fails mid-way with an error the SDK raises', async () => {
    upstream.handle(reply(200, cohereSse(cohereChunks('cohere-error-mid-stream.chunks.txt')), SSE_HEADERS));
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    })().catch((error: unknown) => error);
    expect(text).toBe('The capital');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain('internal error: generation failed');
  });

  const errorCases = [
    { status: 400, errorClass: OpenAI.BadRequestError, message: 'message must be at least 1 token long' },
    { status: 401, errorClass: OpenAI.AuthenticationError, message: 'invalid api token' },
    { status: 429, errorClass: OpenAI.RateLimitError, message: 'You are using a Trial key' },
    { status: 529, errorClass: OpenAI.InternalServerError, message: 'The model is overloaded' },
    { status: 500, errorClass: OpenAI.InternalServerError, message: 'internal server error' },
  ];
  for (const { status, errorClass, message } of errorCases) {
    it(`turns a Cohere ${status} into an OpenAI-shaped ${status} that keeps Cohere's message`, async () => {
      upstream.handle(reply(status, fixtureText(`cohere/cohere-error-${status}.json`), JSON_HEADERS));
      const failure = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(errorClass);
      const apiError = failure as InstanceType<typeof OpenAI.APIError>;
      expect(apiError.status).toBe(status);
      expect(apiError.message).toContain(message);
      expect(apiError.error).toMatchObject({ message: expect.stringContaining(message) as string });
    });
  }

  it('creates embeddings, base64 by default as the SDK asks', async () => {
    upstream.handle(reply(200, fixtureText('cohere/cohere-embedding.json'), JSON_HEADERS));
    const result = await client.embeddings.create({ model: 'embed-english-v3.0', input: ['sunny day at the beach', 'rainy day in the city'] });
    expect(upstream.requests[0]?.url).toBe('/v2/embed');
    expect(sentBody()).toMatchObject({ texts: ['sunny day at the beach', 'rainy day in the city'], input_type: 'search_document', embedding_types: ['float'] });
    expect(result.data.map((item) => item.embedding)).toEqual([
      [0.03302002, 0.020904541, -0.019744873, -0.0625, 0.04437256].map(Math.fround),
      [-0.04660034, 0.00037765503, -0.061157227, -0.08239746, -0.010360718].map(Math.fround),
    ]);
    expect(result.usage).toEqual({ prompt_tokens: 10, total_tokens: 10 });
  });
});
