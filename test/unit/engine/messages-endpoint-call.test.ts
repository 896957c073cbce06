import { describe, expect, it } from 'vitest';
import { BadGatewayError, BadRequestError } from '../../../shared/src/core/gateway-error.ts';
import { planMessagesCall } from '../../../shared/src/engine/messages-endpoint-call.ts';
import type { ProviderResponse, StreamOutcome } from '../../../shared/src/providers/provider-model.ts';
import { fixtureText, sseFrames } from '../../support/mock-upstream.ts';

const encoder = new TextEncoder();
const body = { model: 'claude-sonnet-4-5', max_tokens: 64, service_tier: 'auto', messages: [{ role: 'user', content: 'Hi' }] };
const original = { search: '?beta=true', fallbackMessageId: 'msg_trace' };

function streamOf(text: string): ReadableStream<Uint8Array> {
  return new Response(text).body as ReadableStream<Uint8Array>;
}

describe('planMessagesCall', () => {
  it('sends the body to anthropic as it is, on its own Messages endpoint', () => {
    const { call } = planMessagesCall('anthropic', body, original);
    expect(call).toEqual({
      endpoint: 'passthrough',
      method: 'POST',
      path: '/messages',
      search: '?beta=true',
      body: undefined,
      rawBody: encoder.encode(JSON.stringify(body)),
      contentType: 'application/json',
    });
  });

  it('reads the usage of a whole native answer and keeps its bytes', async () => {
    const native = fixtureText('anthropic/anthropic-text.json');
    const headers = new Headers({ 'content-type': 'application/json', 'request-id': 'req_1' });
    const answer = await planMessagesCall('anthropic', body, original).convertResponse({ kind: 'binary', status: 200, headers, body: streamOf(native) });
    expect(answer).toEqual({ kind: 'complete', status: 200, headers, body: encoder.encode(native), usage: { promptTokens: 12, completionTokens: 29, totalTokens: 41, cachedPromptTokens: 0 } });
  });

  it('sends any other provider a chat completion and converts its answer', async () => {
    const plan = planMessagesCall('openai', body, original);
    expect(plan.call).toEqual({
      endpoint: 'chat.completions',
      method: 'POST',
      path: '/chat/completions',
      search: '',
      body: { model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 64 },
      rawBody: undefined,
      contentType: 'application/json',
    });
    const usage = { promptTokens: 16, completionTokens: 363, totalTokens: 379 };
    const answer = await plan.convertResponse({
      kind: 'complete',
      status: 200,
      headers: new Headers({ 'content-type': 'application/json', 'content-length': '999', 'x-turnpike-warnings': 'seed' }),
      body: encoder.encode(fixtureText('openai/openai-text.json')),
      usage,
    });
    if (answer.kind !== 'complete') throw new Error('expected a complete answer');
    expect(answer.usage).toBe(usage);
    expect(Object.fromEntries(answer.headers)).toEqual({ 'content-type': 'application/json', 'x-turnpike-warnings': 'seed,service_tier' });
    expect(JSON.parse(new TextDecoder().decode(answer.body))).toMatchObject({ id: 'msg_D8Z5f52zQqikDBEKQMQoYcWMcWPeU', type: 'message', stop_reason: 'end_turn' });
  });

  it('converts a chat stream, taking usage and upstream errors from the provider outcome', async () => {
    const plan = planMessagesCall('openai', { ...body, stream: true }, original);
    const chunk = JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-x', choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: null }] });
    const upstreamError = { status: 429, message: 'Slow down' };
    const stream: ProviderResponse = {
      kind: 'stream',
      status: 200,
      headers: new Headers({ 'content-type': 'text/event-stream' }),
      body: streamOf(`data: ${chunk}\n\ndata: {"error":{"message":"Slow down","type":"rate_limit_error"}}\n\n`),
      outcome: Promise.resolve<StreamOutcome>({ usage: { promptTokens: 3, completionTokens: 1, totalTokens: 4 }, error: upstreamError }),
    };
    const answer = await plan.convertResponse(stream);
    if (answer.kind !== 'stream') throw new Error('expected a stream');
    const text = await new Response(answer.body).text();
    expect(text).toContain('event: error\ndata: {"type":"error","error":{"type":"rate_limit_error","message":"Slow down"}}');
    await expect(answer.outcome).resolves.toEqual({ usage: { promptTokens: 3, completionTokens: 1, totalTokens: 4 }, error: upstreamError });
    expect(answer.headers.get('x-turnpike-warnings')).toBe('service_tier');
  });

  it('reports a failure of the conversion itself over the provider outcome', async () => {
    const plan = planMessagesCall('openai', { ...body, stream: true }, original);
    const answer = await plan.convertResponse({
      kind: 'stream',
      status: 200,
      headers: new Headers(),
      body: streamOf(sseFrames(['{not json'])),
      outcome: Promise.resolve<StreamOutcome>({ usage: undefined, error: { status: 499, message: 'The caller closed the stream before it ended.' } }),
    });
    if (answer.kind !== 'stream') throw new Error('expected a stream');
    await new Response(answer.body).text();
    await expect(answer.outcome).resolves.toEqual({ usage: undefined, error: { status: 502, message: 'openai sent a stream event the gateway cannot read.' } });
  });

  it('refuses a missing body and an answer that is not a chat completion', async () => {
    expect(() => planMessagesCall('openai', undefined, original)).toThrow(BadRequestError);
    const plan = planMessagesCall('openai', body, original);
    await expect(
      plan.convertResponse({ kind: 'complete', status: 200, headers: new Headers(), body: encoder.encode('<html>'), usage: undefined }),
    ).rejects.toBeInstanceOf(BadGatewayError);
  });
});
