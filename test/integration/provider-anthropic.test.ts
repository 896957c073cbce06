import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { fixtureChunks, fixtureText, reply, type MockUpstream } from '../support/mock-upstream.ts';
import type { TestGateway } from '../support/start-test-gateway.ts';
import { openAIClientFor, useGatewayAndUpstream } from '../support/gateway-and-upstream.ts';
import { anthropicFixtureSse, nativeMessageFromStream } from '../unit/providers/anthropic/anthropic-sse.ts';

let gateway: TestGateway;
let upstream: MockUpstream;
let client: OpenAI;

useGatewayAndUpstream((parts) => {
  ({ gateway, upstream } = parts);
  client = openAIClientFor(parts, { apiKey: 'sk-ant-caller-key', provider: 'anthropic', upstreamPath: '/v1' });
});

const JSON_HEADERS = { 'content-type': 'application/json', 'request-id': 'req_011CIntegration' };
const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8' };
const MODEL = 'claude-sonnet-4-5-20250929';

function sentBody(index = 0): Record<string, unknown> {
  return JSON.parse(upstream.requests[index]?.body.toString() ?? '') as Record<string, unknown>;
}

const getWeather: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: { name: 'updateIssueList', description: 'Refresh the issue list', parameters: { type: 'object', properties: {} } },
};

describe('the openai SDK against the anthropic provider', () => {
  it('completes a tool-call round trip', async () => {
    upstream.handle(reply(200, fixtureText('anthropic/anthropic-tool-no-args.json'), JSON_HEADERS));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Refresh my issues.' }];
    const { data: first, response } = await client.chat.completions.create({ model: MODEL, messages, tools: [getWeather] }).withResponse();
    expect(response.headers.get('x-portkey-provider')).toBe('anthropic');
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call).toEqual({ id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', type: 'function', function: { name: 'updateIssueList', arguments: '{}' } });
    expect(upstream.requests[0]?.url).toBe('/v1/messages');
    expect(upstream.requests[0]?.headers['x-api-key']).toBe('sk-ant-caller-key');
    expect(sentBody().tools).toEqual([{ name: 'updateIssueList', description: 'Refresh the issue list', input_schema: { type: 'object', properties: {} } }]);

    upstream.handle(reply(200, fixtureText('anthropic/anthropic-text.json'), JSON_HEADERS));
    if (choice === undefined || call === undefined) throw new Error('no tool call');
    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: 'Issues refreshed: 3 open.' });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [getWeather] });
    expect(second.choices[0]?.message.content).toMatch(/^Hello!/);
    expect(sentBody(1).messages).toEqual([
      { role: 'user', content: 'Refresh my issues.' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: choice.message.content },
          { type: 'tool_use', id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', name: 'updateIssueList', input: {} },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', content: 'Issues refreshed: 3 open.' }] },
    ]);
  });

  it('sends images as base64 and URL sources and reports cache reads in usage', async () => {
    upstream.handle(reply(200, fixtureText('anthropic/written/vision-image.json'), JSON_HEADERS));
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these images?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUg==' } },
            { type: 'image_url', image_url: { url: 'https://example.com/pixel.png', detail: 'low' } },
          ],
        },
      ],
    });
    expect(sentBody().messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these images?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgoAAAANSUhEUg==' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/pixel.png' } },
        ],
      },
    ]);
    expect(completion.choices[0]?.message.content).toBe('The image shows a single red pixel.');
    expect(completion.usage).toEqual({ prompt_tokens: 2762, completion_tokens: 11, total_tokens: 2773, prompt_tokens_details: { cached_tokens: 1200 } });
  });

  it('answers JSON mode through a forced tool and returns the JSON as content', async () => {
    upstream.handle(reply(200, fixtureText('anthropic/anthropic-json-tool.1.json'), JSON_HEADERS));
    const schema = { type: 'object', properties: { elements: { type: 'array' } }, required: ['elements'] };
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Weather in four cities, as JSON.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'weather', schema } },
    });
    expect(sentBody().tools).toEqual([{ name: 'json', description: 'Respond with a JSON object.', input_schema: schema }]);
    expect(sentBody().tool_choice).toEqual({ type: 'tool', name: 'json', disable_parallel_tool_use: true });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const parsed = JSON.parse(completion.choices[0]?.message.content ?? '') as { elements: unknown[] };
    expect(parsed.elements).toHaveLength(4);
  });

  it('streams a reply whose reassembled text equals the unstreamed reply', async () => {
    const chunks = fixtureChunks('anthropic/anthropic-clear-thinking.1.chunks.txt');
    upstream.handle(reply(200, anthropicFixtureSse('anthropic-clear-thinking.1.chunks.txt'), SSE_HEADERS));
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Divide the previous result by 5.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let reasoning = '';
    const ids = new Set<string>();
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? '';
      reasoning += (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(sentBody().stream).toBe(true);
    expect(ids).toEqual(new Set(['msg_01Y6V41gqPaKWEw7iPouH7iW']));
    expect(finish).toBe('stop');

    upstream.handle(reply(200, JSON.stringify(nativeMessageFromStream(chunks)), JSON_HEADERS));
    const whole = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Divide the previous result by 5.' }] });
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(text).toBe('925 ÷ 5 = 185');
    expect(reasoning).toBe((whole.choices[0]?.message as { reasoning_content?: string }).reasoning_content);
    expect(usage).toEqual(whole.usage);
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, provider: 'anthropic', stream: true });
  });

  it.each([
    ['error-400-invalid-request.json', 400, OpenAI.BadRequestError],
    ['error-401-authentication.json', 401, OpenAI.AuthenticationError],
    ['error-429-rate-limit.json', 429, OpenAI.RateLimitError],
    ['error-529-overloaded.json', 529, OpenAI.InternalServerError],
    ['error-500-api.json', 500, OpenAI.InternalServerError],
  ] as const)('maps %s to HTTP %i with Anthropic’s message', async (file, status, errorClass) => {
    const text = fixtureText(`anthropic/written/${file}`);
    upstream.handle(reply(status, text, { 'content-type': 'application/json', 'retry-after': '1' }));
    const failure = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errorClass);
    const apiError = failure as InstanceType<typeof OpenAI.APIError>;
    const native = JSON.parse(text) as { error: { type: string; message: string } };
    expect(apiError.status).toBe(status);
    expect(apiError.message).toContain(native.error.message);
    expect(apiError.type).toBe(native.error.type);
  });

  it('ends a stream that breaks with an Anthropic error event with an error the SDK raises', async () => {
    upstream.handle(reply(200, anthropicFixtureSse('written/stream-error-overloaded.chunks.txt'), SSE_HEADERS));
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(text).toBe('Hello! I');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).message).toContain('Overloaded');
  });

  it('ignores fields and block types Anthropic adds later', async () => {
    const native = JSON.parse(fixtureText('anthropic/anthropic-text.json')) as Record<string, unknown> & { content: unknown[] };
    native.some_future_field = { nested: [1, 2, 3] };
    native.content = [{ type: 'future_block', data: 'x' }, ...native.content];
    upstream.handle(reply(200, JSON.stringify(native), JSON_HEADERS));
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }] });
    expect(completion.choices[0]?.message.content).toMatch(/^Hello! I'm doing well/);
  });

  it('refuses embeddings with an OpenAI-shaped 400', async () => {
    const failure = await client.embeddings.create({ model: MODEL, input: 'hi' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('unsupported_endpoint');
    expect(upstream.requests).toHaveLength(0);
  });
});
