import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { fixtureChunks, fixtureText, type MockUpstream, reply } from '../support/mock-upstream.ts';
import type { TestGateway } from '../support/start-test-gateway.ts';
import { openAIClientFor, useGatewayAndUpstream } from '../support/gateway-and-upstream.ts';

let gateway: TestGateway;
let upstream: MockUpstream;
let client: OpenAI;

const API_KEY = 'AIza-caller-key';

useGatewayAndUpstream((parts) => {
  ({ gateway, upstream } = parts);
  client = openAIClientFor(parts, { apiKey: API_KEY, provider: 'google', upstreamPath: '/v1beta' });
});

const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };
const SSE_HEADERS = { 'content-type': 'text/event-stream' };

/** Gemini's streamGenerateContent?alt=sse framing: one `data:` event per response, no [DONE]. */
function geminiSse(fixture: string): string {
  return fixtureChunks(`google/${fixture}`)
    .map((payload) => `data: ${payload}\r\n\r\n`)
    .join('');
}

function sentBody(index = 0): Record<string, unknown> {
  return JSON.parse(upstream.requests[index]?.body.toString() ?? '') as Record<string, unknown>;
}

const weatherTool: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'weather',
    description: 'Weather in a place',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'], additionalProperties: false },
  },
};

describe('the openai SDK against google (Gemini API) through the gateway', () => {
  it('answers a chat completion in OpenAI shape, ignoring fields it does not know', async () => {
    const answer = { ...(JSON.parse(fixtureText('google/google-text.json')) as object), someNewField: { nested: true } };
    upstream.handle(reply(200, JSON.stringify(answer), JSON_HEADERS));
    const { data, response } = await client.chat.completions
      .create({ model: 'gemini-3-pro-preview', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'How many rs in strawberry?' }] })
      .withResponse();
    expect(response.headers.get('x-portkey-provider')).toBe('google');
    expect(data.object).toBe('chat.completion');
    expect(data.choices[0]?.message.content).toBe("There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.");
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage).toEqual({ prompt_tokens: 9, completion_tokens: 272, total_tokens: 281, completion_tokens_details: { reasoning_tokens: 244 } });
    const sent = upstream.requests[0];
    expect(sent?.url).toBe('/v1beta/models/gemini-3-pro-preview:generateContent');
    expect(sent?.headers['x-goog-api-key']).toBe(API_KEY);
    expect(sent?.headers.authorization).toBeUndefined();
    expect(sentBody()).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'How many rs in strawberry?' }] }],
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
    });
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, provider: 'google', model: 'gemini-3-pro-preview', usage: { promptTokens: 9, completionTokens: 272, reasoningTokens: 244 } });
  });

  it('does a tool-call round trip, replaying the thought signature', async () => {
    upstream.handle(reply(200, fixtureText('google/google-tool-call.json'), JSON_HEADERS));
    const question: OpenAI.ChatCompletionMessageParam = { role: 'user', content: 'Weather in San Francisco?' };
    const first = await client.chat.completions.create({ model: 'gemini-3-pro-preview', messages: [question], tools: [weatherTool], tool_choice: 'required' });
    expect(sentBody()).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            { name: 'weather', description: 'Weather in a place', parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });
    const message = first.choices[0]?.message;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const call = message?.tool_calls?.[0] as OpenAI.ChatCompletionMessageFunctionToolCall;
    expect(call).toMatchObject({ id: 'call_m36LaZGyCLz1xs0PtNSB-QU_0', type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } });

    upstream.handle(reply(200, fixtureText('google/google-text.json'), JSON_HEADERS));
    // The assistant message goes back as the SDK returned it, extra_content included.
    await client.chat.completions.create({
      model: 'gemini-3-pro-preview',
      messages: [question, message as OpenAI.ChatCompletionMessageParam, { role: 'tool', tool_call_id: call.id, content: '{"temperature":18}' }],
      tools: [weatherTool],
    });
    const signature = (JSON.parse(fixtureText('google/google-tool-call.json')) as { candidates: Array<{ content: { parts: Array<{ thoughtSignature: string }> } }> })
      .candidates[0]?.content.parts[0]?.thoughtSignature;
    expect(sentBody(1).contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in San Francisco?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'weather', args: { location: 'San Francisco' } }, thoughtSignature: signature }] },
      { role: 'user', parts: [{ functionResponse: { name: 'weather', response: { temperature: 18 } } }] },
    ]);
  });

  it('sends a vision request with inline and URL images', async () => {
    upstream.handle(reply(200, fixtureText('google/written/google-vision.json'), JSON_HEADERS));
    const completion = await client.chat.completions.create({
      model: 'gemini-2.5-flash',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these images?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/square.png' } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('A red square centred on a white background.');
    expect(sentBody().contents).toEqual([
      {
        role: 'user',
        parts: [
          { text: 'What is in these images?' },
          { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
          { fileData: { mimeType: 'image/png', fileUri: 'https://example.com/square.png' } },
        ],
      },
    ]);
  });

  it('sends JSON mode as responseMimeType and warns about dropped parameters', async () => {
    upstream.handle(reply(200, fixtureText('google/written/google-json-mode.json'), JSON_HEADERS));
    const { data, response } = await client.chat.completions
      .create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Invent a holiday as JSON.' }], response_format: { type: 'json_object' }, logit_bias: { '1': 1 } })
      .withResponse();
    expect(JSON.parse(data.choices[0]?.message.content ?? '')).toEqual({ holiday: 'Cloud Appreciation Day', date: 'March 3' });
    expect(sentBody().generationConfig).toEqual({ responseMimeType: 'application/json' });
    expect(response.headers.get('x-turnpike-warnings')).toBe('logit_bias');
  });

  it('streams a reply whose text equals the non-streamed text, with usage when asked', async () => {
    upstream.handle(reply(200, fixtureText('google/google-reasoning.json'), JSON_HEADERS));
    const whole = await client.chat.completions.create({ model: 'gemini-3-pro-preview', messages: [{ role: 'user', content: 'rs in strawberry?' }] });

    upstream.handle(reply(200, geminiSse('google-reasoning.chunks.txt'), SSE_HEADERS));
    const stream = await client.chat.completions.create({
      model: 'gemini-3-pro-preview',
      messages: [{ role: 'user', content: 'rs in strawberry?' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    const ids = new Set<string>();
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe('stop');
    expect(ids).toEqual(new Set(['chatcmpl-dX6LadKVC7SZ28oPr9yJoQs']));
    expect(usage).toEqual({ prompt_tokens: 9, completion_tokens: 285, total_tokens: 294, completion_tokens_details: { reasoning_tokens: 256 } });
    expect(upstream.requests[1]?.url).toBe('/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse');
    const records = await gateway.waitForRecords(2);
    expect(records[1]).toMatchObject({ status: 200, stream: true, usage: { totalTokens: 294 } });
  });

  it('streams tool calls with streamed arguments that the SDK assembles', async () => {
    upstream.handle(reply(200, geminiSse('google-stream-tool-call-arguments.chunks.txt'), SSE_HEADERS));
    const runner = client.chat.completions.stream({ model: 'gemini-3.1-pro-preview', messages: [{ role: 'user', content: 'Weather in Boston and SF?' }], tools: [weatherTool] });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
    expect(final.choices[0]?.message.tool_calls?.map((call) => (call as OpenAI.ChatCompletionMessageFunctionToolCall).function)).toEqual([
      { name: 'getWeather', arguments: '{"location":"Boston"}' },
      { name: 'getWeather', arguments: '{"location":"San Francisco"}' },
    ]);
  });

  it('ends a stream that fails mid-way with an error the SDK raises', async () => {
    upstream.handle(reply(200, geminiSse('written/google-stream-error.chunks.txt'), SSE_HEADERS));
    const stream = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(text).toBe('Cloud Appreciation Day is');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain('The model is overloaded');
  });

  it('answers a blocked prompt with finish_reason content_filter', async () => {
    upstream.handle(reply(200, fixtureText('google/written/google-prompt-blocked.json'), JSON_HEADERS));
    const completion = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'something unsafe' }] });
    expect(completion.choices[0]?.finish_reason).toBe('content_filter');
    expect(completion.choices[0]?.message.content).toBe('');
  });

  it.each([
    [400, 'written/google-error-400.json', OpenAI.BadRequestError, 'API key not valid'],
    [401, 'written/google-error-401.json', OpenAI.AuthenticationError, 'invalid authentication credentials'],
    [429, 'google-429-retry-info.json', OpenAI.RateLimitError, 'You exceeded your current quota'],
    [500, 'written/google-error-500.json', OpenAI.InternalServerError, 'An internal error has occurred'],
    [529, 'written/google-error-503.json', OpenAI.InternalServerError, 'The model is overloaded'],
  ] as const)('maps HTTP %i to an OpenAI-shaped error that keeps Google’s message', async (status, fixture, errorClass, message) => {
    upstream.handle(reply(status, fixtureText(`google/${fixture}`), JSON_HEADERS));
    const failure = await client.chat.completions.create({ model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errorClass);
    const apiError = failure as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(status);
    expect(apiError.message).toContain(message);
    expect(apiError.error).toMatchObject({ message: expect.stringContaining(message), type: expect.any(String) });
    if (status === 429) expect(apiError.headers?.get('retry-after')).toBe('35');
  });

  it('creates embeddings through embedContent and batchEmbedContents', async () => {
    upstream.handle(reply(200, fixtureText('google/written/google-embed-content.json'), JSON_HEADERS));
    const single = await client.embeddings.create({ model: 'text-embedding-004', input: 'hello', encoding_format: 'float' });
    expect(single.data[0]?.embedding).toEqual([0.013168523, -0.008711934, -0.046782676, 0.00069968984]);
    expect(upstream.requests[0]?.url).toBe('/v1beta/models/text-embedding-004:embedContent');

    upstream.handle(reply(200, fixtureText('google/written/google-batch-embed-contents.json'), JSON_HEADERS));
    // The SDK asks for base64 by default and decodes it: the vectors must survive the trip.
    const batch = await client.embeddings.create({ model: 'text-embedding-004', input: ['a', 'b'] });
    expect(batch.data.map((item) => item.embedding.map((value) => Number(value.toFixed(6))))).toEqual([
      [0.013169, -0.008712, -0.046783],
      [-0.021565, 0.013679, 0.001129],
    ]);
    expect(upstream.requests[1]?.url).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
  });

  it('lists the models', async () => {
    upstream.handle(reply(200, fixtureText('google/written/google-models.json'), JSON_HEADERS));
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['gemini-2.5-flash', 'text-embedding-004']);
  });
});
