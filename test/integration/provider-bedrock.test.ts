import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { fixtureChunks, fixtureText, type MockUpstream } from '../support/mock-upstream.ts';
import type { TestGateway } from '../support/start-test-gateway.ts';
import { openAIClientFor, useGatewayAndUpstream } from '../support/gateway-and-upstream.ts';
import {
  eventStreamMessage,
  MOCK_REQUEST_ID,
  replyBedrockError,
  replyConverseStream,
  replyJson,
} from '../unit/providers/bedrock/bedrock-mock-replies.ts';

let gateway: TestGateway;
let upstream: MockUpstream;
let client: OpenAI;

const MODEL = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0';
const CONVERSE_PATH = '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse';
const CREDENTIAL_HEADERS = {
  'x-portkey-aws-region': 'us-east-1',
  'x-portkey-aws-access-key-id': 'AKIDTEST',
  'x-portkey-aws-secret-access-key': 'secret',
};

useGatewayAndUpstream((parts) => {
  ({ gateway, upstream } = parts);
  // The openai SDK insists on a key; it is not a Bedrock credential, so the gateway signs with the AWS keys.
  client = openAIClientFor(parts, { apiKey: 'sk-x', provider: 'bedrock', headers: CREDENTIAL_HEADERS });
});

function sentBody(index = 0): Record<string, unknown> {
  return JSON.parse(upstream.requests[index]?.body.toString() ?? '') as Record<string, unknown>;
}

/** The text a ConverseStream fixture streams, joined. */
function streamedText(fixture: string): string {
  return fixtureChunks(fixture)
    .map((line) => JSON.parse(line) as { contentBlockDelta?: { delta?: { text?: string } } })
    .map((event) => event.contentBlockDelta?.delta?.text ?? '')
    .join('');
}

const issueTool: OpenAI.ChatCompletionTool = {
  type: 'function',
  function: { name: 'updateIssueList', description: 'Refresh the issue list', parameters: { type: 'object', properties: {} } },
};

describe('the openai SDK against the bedrock provider', () => {
  it('completes a tool-call round trip through Converse', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/amazon-bedrock-tool-no-args.json')));
    const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: 'Refresh my issues.' }];
    const { data: first, response } = await client.chat.completions.create({ model: MODEL, messages, tools: [issueTool] }).withResponse();
    expect(response.headers.get('x-portkey-provider')).toBe('bedrock');
    expect(first).toEqual({
      id: `chatcmpl-${MOCK_REQUEST_ID}`,
      object: 'chat.completion',
      created: expect.any(Number) as number,
      model: MODEL,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: "I'll update the issue list for you.",
            tool_calls: [{ id: 'tool-use-id', type: 'function', function: { name: 'updateIssueList', arguments: '{}' } }],
            refusal: null,
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 100, completion_tokens: 25, total_tokens: 125 },
    });
    expect(upstream.requests[0]?.url).toBe(CONVERSE_PATH);
    expect(upstream.requests[0]?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/us-east-1\/bedrock\/aws4_request/);
    expect(sentBody()).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Refresh my issues.' }] }],
      toolConfig: {
        tools: [{ toolSpec: { name: 'updateIssueList', description: 'Refresh the issue list', inputSchema: { json: { type: 'object', properties: {} } } } }],
        toolChoice: { auto: {} },
      },
    });

    const choice = first.choices[0];
    const call = choice?.message.tool_calls?.[0];
    if (choice === undefined || call === undefined) throw new Error('no tool call');
    upstream.handle(replyJson(fixtureText('bedrock/amazon-bedrock-text.json')));
    messages.push(choice.message, { role: 'tool', tool_call_id: call.id, content: 'Issues refreshed: 3 open.' });
    const second = await client.chat.completions.create({ model: MODEL, messages, tools: [issueTool] });
    expect(second.choices[0]?.message.content).toMatch(/^Let me count/);
    expect(sentBody(1).messages).toEqual([
      { role: 'user', content: [{ text: 'Refresh my issues.' }] },
      {
        role: 'assistant',
        content: [{ text: "I'll update the issue list for you." }, { toolUse: { toolUseId: 'tool-use-id', name: 'updateIssueList', input: {} } }],
      },
      { role: 'user', content: [{ toolResult: { toolUseId: 'tool-use-id', content: [{ text: 'Issues refreshed: 3 open.' }] } }] },
    ]);
  });

  it('sends a data: image as bytes and refuses an http image URL with a clear 400', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/written/vision.json')));
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const completion = await client.chat.completions.create({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in this image?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
          ],
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('The image is a single red pixel on a transparent background.');
    expect(sentBody().messages).toEqual([
      { role: 'user', content: [{ text: 'What is in this image?' }, { image: { format: 'png', source: { bytes: png } } }] },
    ]);

    const failure = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('http(s) image URLs are not supported');
    expect(upstream.requests).toHaveLength(1);
  });

  it('answers JSON mode through a forced json tool and returns the JSON as content', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/amazon-bedrock-json-tool.1.json')));
    const schema = { type: 'object', properties: { elements: { type: 'array' } }, required: ['elements'] };
    const { data: completion, response } = await client.chat.completions
      .create({
        model: MODEL,
        messages: [{ role: 'user', content: 'Weather as JSON.' }],
        response_format: { type: 'json_schema', json_schema: { name: 'weather', schema } },
        seed: 7,
      })
      .withResponse();
    // Bedrock has no seed: dropped, and said so.
    expect(response.headers.get('x-turnpike-warnings')).toBe('seed');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      elements: [
        { location: 'San Francisco', temperature: -5, condition: 'snowy' },
        { location: 'London', temperature: 0, condition: 'snowy' },
      ],
    });
    expect(sentBody().toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'json', description: 'Respond with a JSON object.', inputSchema: { json: schema } } }],
      toolChoice: { tool: { name: 'json' } },
    });
  });

  it('streams a reply whose reassembled text equals the unstreamed reply for the same fixture', async () => {
    const fixture = 'bedrock/amazon-bedrock-text.chunks.txt';
    const text = streamedText(fixture);
    upstream.handle(replyConverseStream(fixture));
    const stream = await client.chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'Count the r in strawberry.' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let streamed = '';
    let finishReason: string | null | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      streamed += chunk.choices[0]?.delta.content ?? '';
      finishReason ??= chunk.choices[0]?.finish_reason;
      usage ??= chunk.usage;
    }
    expect(upstream.requests[0]?.url).toBe('/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse-stream');
    expect(streamed).toBe(text);
    expect(finishReason).toBe('stop');
    expect(usage).toEqual({ prompt_tokens: 22, completion_tokens: 55, total_tokens: 77 });
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, provider: 'bedrock', stream: true, usage: { promptTokens: 22, completionTokens: 55 } });

    // The same answer unstreamed: Converse's JSON with the text the stream carried.
    upstream.handle(
      replyJson(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text }] } }, stopReason: 'end_turn', usage: { inputTokens: 22, outputTokens: 55, totalTokens: 77 } })),
    );
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'Count the r in strawberry.' }] });
    expect(completion.choices[0]?.message.content).toBe(streamed);
  });

  it('streams tool calls the SDK can reassemble', async () => {
    upstream.handle(replyConverseStream('bedrock/amazon-bedrock-tool-call.1.chunks.txt'));
    const stream = client.chat.completions.stream({ model: MODEL, messages: [{ role: 'user', content: 'Name a holiday.' }], tools: [issueTool] });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls).toEqual([
      { id: 'tool-use-id', type: 'function', function: { name: 'test-tool', arguments: '{"value":"Sparkle Day"}' } },
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it.each([
    [400, 'ValidationException', 'validation-exception.json', OpenAI.BadRequestError],
    [403, 'UnrecognizedClientException', 'access-denied-exception.json', OpenAI.PermissionDeniedError],
    [429, 'ThrottlingException', 'throttling-exception.json', OpenAI.RateLimitError],
    [500, 'InternalServerException', 'internal-server-exception.json', OpenAI.InternalServerError],
    [503, 'ServiceUnavailableException', 'service-unavailable-exception.json', OpenAI.InternalServerError],
    [529, 'SomeFutureOverloadedException', 'service-unavailable-exception.json', OpenAI.InternalServerError],
  ])('keeps HTTP %i (%s) and Bedrock\'s message in an OpenAI-shaped error', async (status, exception, fixture, errorClass) => {
    const body = fixtureText(`bedrock/written/${fixture}`);
    upstream.handle(replyBedrockError(status, exception, body));
    const failure = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errorClass);
    const apiError = failure as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(status);
    expect(apiError.code).toBe(exception);
    expect(apiError.message).toContain((JSON.parse(body) as { message: string }).message);
  });

  it('ends a stream that breaks with a Bedrock exception event with an error the SDK raises', async () => {
    upstream.handle(replyConverseStream('bedrock/written/text-then-model-stream-error.chunks.txt'));
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(text).toBe('Let me count');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as Error).message).toContain('Model stream error: the model stopped responding.');
  });

  it('falls back to another region when Bedrock throttles before the first byte', async () => {
    upstream.handle((request, response, body) => {
      const region = /\/(\w+-\w+-\d)\/bedrock\//.exec(request.headers.authorization ?? '')?.[1];
      if (region === 'us-east-1') replyConverseStream('bedrock/written/throttling-first.chunks.txt')(request, response, body);
      else replyConverseStream('bedrock/amazon-bedrock-text.chunks.txt')(request, response, body);
    });
    const target = { provider: 'bedrock', custom_host: upstream.origin, aws_access_key_id: 'AKIDTEST', aws_secret_access_key: 'secret' };
    const config = { strategy: { mode: 'fallback' }, targets: [{ ...target, aws_region: 'us-east-1' }, { ...target, aws_region: 'eu-west-1' }] };
    const { data: stream, response } = await client.chat.completions
      .create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true }, { headers: { 'x-portkey-config': JSON.stringify(config) } })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(streamedText('bedrock/amazon-bedrock-text.chunks.txt'));
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config.targets[1]');
    expect(upstream.requests.map((request) => /\/(\w+-\w+-\d)\/bedrock\//.exec(request.headers.authorization ?? '')?.[1])).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('ignores fields and event types Bedrock adds later', async () => {
    const answer = JSON.parse(fixtureText('bedrock/amazon-bedrock-text.json')) as Record<string, unknown>;
    upstream.handle(replyJson(JSON.stringify({ ...answer, trace: { surprise: true }, performanceConfig: { latency: 'standard' } })));
    const completion = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }] });
    expect(completion.choices[0]?.message.content).toMatch(/^Let me count/);

    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      for (const line of fixtureChunks('bedrock/amazon-bedrock-text.chunks.txt')) {
        response.write(eventStreamMessage(line));
        response.write(eventStreamMessage('{"futureEvent":{"detail":1}}'));
      }
      response.end();
    });
    const stream = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'x' }], stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe(streamedText('bedrock/amazon-bedrock-text.chunks.txt'));
  });

  it('creates embeddings with Titan Text Embeddings v2', async () => {
    upstream.handle(replyJson(fixtureText('bedrock/written/titan-embed-text-v2.json')));
    const result = await client.embeddings.create({ model: 'amazon.titan-embed-text-v2:0', input: 'hello' });
    expect(result.data[0]?.embedding).toEqual([0.125, -0.5, 0.25, 0.75]);
    expect(result.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
    expect(upstream.requests[0]?.url).toBe('/model/amazon.titan-embed-text-v2%3A0/invoke');
    expect(sentBody()).toEqual({ inputText: 'hello', normalize: true });
  });
});
