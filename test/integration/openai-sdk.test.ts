import OpenAI, { toFile } from 'openai';
import { describe, expect, it } from 'vitest';
import { fixtureChunks, fixtureText, type MockUpstream, sseFrames } from '../support/mock-upstream.ts';
import type { TestGateway } from '../support/start-test-gateway.ts';
import { openAIClientFor, useGatewayAndUpstream } from '../support/gateway-and-upstream.ts';

let gateway: TestGateway;
let upstream: MockUpstream;
let client: OpenAI;

useGatewayAndUpstream((parts) => {
  ({ gateway, upstream } = parts);
  client = openAIClientFor(parts, { apiKey: 'sk-caller-key', provider: 'openai', upstreamPath: '/v1' });
});

const textChunks = fixtureChunks('openai/openai-text.chunks.txt');
const reassembled = textChunks
  .map((line) => JSON.parse(line) as { choices: Array<{ delta?: { content?: string } }> })
  .map((chunk) => chunk.choices[0]?.delta?.content ?? '')
  .join('');

describe('the openai SDK through the gateway', () => {
  it('gets a chat completion unchanged, with Portkey response headers', async () => {
    const body = fixtureText('openai/openai-text.json');
    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' }).end(body));
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }], temperature: 0.3, seed: 7, some_future_param: { a: 1 } } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse();
    expect(data).toEqual(JSON.parse(body));
    expect(response.headers.get('x-portkey-provider')).toBe('openai');
    expect(response.headers.get('x-portkey-trace-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-portkey-retry-attempt-count')).toBe('0');
    expect(response.headers.get('x-portkey-last-used-option-index')).toBe('config');
    expect(response.headers.get('x-portkey-cache-status')).toBe('DISABLED');
    expect(response.headers.get('x-request-id')).toBe('req_1');

    const sent = upstream.requests[0];
    expect(sent?.url).toBe('/v1/chat/completions');
    expect(sent?.headers.authorization).toBe('Bearer sk-caller-key');
    expect(sent?.headers['x-portkey-provider']).toBeUndefined();
    expect(JSON.parse(sent?.body.toString() ?? '')).toEqual({
      model: 'gpt-4.1-nano',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.3,
      seed: 7,
      some_future_param: { a: 1 },
    });
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, provider: 'openai', model: 'gpt-4.1-nano', stream: false });
    expect(record?.usage?.promptTokens).toBeGreaterThan(0);
  });

  it('streams a chat completion chunk by chunk and captures usage the caller did not ask for', async () => {
    const withUsage = [...textChunks];
    upstream.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(sseFrames(withUsage));
    });
    const stream = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    let text = '';
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) sawUsage = true;
    }
    expect(text).toBe(reassembled);
    expect(sawUsage).toBe(false);
    const sentBody = JSON.parse(upstream.requests[0]?.body.toString() ?? '{}') as { stream_options?: unknown };
    expect(sentBody.stream_options).toEqual({ include_usage: true });
    const [record] = await gateway.waitForRecords(1);
    expect(record).toMatchObject({ status: 200, stream: true });
    expect(record?.usage).toBeDefined();
  });

  it('passes tools, tool_choice, response_format, n, logprobs and image parts through untouched', async () => {
    const toolCall = fixtureText('openai-compatible/xai-tool-call.json');
    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(toolCall));
    const request = {
      model: 'gpt-4o',
      messages: [
        {
          role: 'user' as const,
          content: [
            { type: 'text' as const, text: 'What is in this image, and the weather there?' },
            { type: 'image_url' as const, image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' as const } },
          ],
        },
      ],
      tools: [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
      tool_choice: { type: 'function' as const, function: { name: 'weather' } },
      response_format: { type: 'json_object' as const },
      n: 2,
      logprobs: true,
      top_logprobs: 2,
    };
    const completion = await client.chat.completions.create(request);
    expect(completion.choices[0]?.message.tool_calls?.[0]).toMatchObject({ type: 'function' });
    expect(JSON.parse(upstream.requests[0]?.body.toString() ?? '')).toEqual(request);

    // Round trip: the tool result goes back the same way.
    const call = completion.choices[0]?.message.tool_calls?.[0];
    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(fixtureText('openai/openai-text.json')));
    await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: null, tool_calls: call ? [call as OpenAI.ChatCompletionMessageFunctionToolCall] : [] },
        { role: 'tool', tool_call_id: call?.id ?? '', content: '{"temp":21}' },
      ],
    });
    const second = JSON.parse(upstream.requests[1]?.body.toString() ?? '') as { messages: Array<{ role: string }> };
    expect(second.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
  });

  it('creates embeddings', async () => {
    const answer = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 3, total_tokens: 3 } };
    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer)));
    const result = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'hello', encoding_format: 'float' });
    expect(result.data[0]?.embedding).toEqual([0.1, 0.2]);
    expect(upstream.requests[0]?.url).toBe('/v1/embeddings');
    const [record] = await gateway.waitForRecords(1);
    expect(record?.usage).toMatchObject({ promptTokens: 3 });
  });

  it('returns speech audio as binary bytes', async () => {
    const audio = Buffer.from(Array.from({ length: 4096 }, (_, index) => index % 256));
    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'audio/mpeg' }).end(audio));
    const speech = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'Hello' });
    expect(speech.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await speech.arrayBuffer())).toEqual(audio);
  });

  it('uploads audio for transcription and translation as multipart, byte for byte', async () => {
    upstream.handle((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"text":"hello world"}'));
    const file = await toFile(Buffer.from('RIFF....WAVEfmt fake audio'), 'clip.wav', { type: 'audio/wav' });
    const transcription = await client.audio.transcriptions.create({ model: 'whisper-1', file });
    expect(transcription.text).toBe('hello world');
    const translation = await client.audio.translations.create({ model: 'whisper-1', file: await toFile(Buffer.from('abc'), 'clip.wav') });
    expect(translation.text).toBe('hello world');
    const [first, second] = upstream.requests;
    expect(first?.url).toBe('/v1/audio/transcriptions');
    expect(second?.url).toBe('/v1/audio/translations');
    expect(first?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(first?.body.toString()).toContain('RIFF....WAVEfmt fake audio');
    expect(first?.body.toString()).toContain('name="model"');
  });

  it('passes any other /v1 path through to the provider', async () => {
    upstream.handle((request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [], echoed: `${request.method} ${request.url}` })),
    );
    const files = await client.get<{ echoed: string }>('/files?purpose=batch');
    expect(files.echoed).toBe('GET /v1/files?purpose=batch');
    const deleted = await client.delete<{ echoed: string }>('/files/file-123');
    expect(deleted.echoed).toBe('DELETE /v1/files/file-123');
  });

  it('lists the provider models', async () => {
    upstream.handle((_request, response) =>
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 1, owned_by: 'openai' }] })),
    );
    const models = [];
    for await (const model of client.models.list()) models.push(model.id);
    expect(models).toEqual(['gpt-4o']);
  });

  it('keeps the provider error status and message', async () => {
    upstream.handle((_request, response) =>
      response
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Invalid value for temperature', type: 'invalid_request_error', code: 'invalid_value', param: 'temperature' } })),
    );
    const failure = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }], temperature: 5 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('Invalid value for temperature');
    expect((failure as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('temperature');
  });
});
