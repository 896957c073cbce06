import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { convertToCohereChatRequest } from '../../../../shared/src/providers/cohere/convert-to-cohere-chat-request.ts';

const weatherTool = {
  type: 'function',
  function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
const timeTool = { type: 'function', function: { name: 'currentTime', parameters: { type: 'object', properties: {} } } };

function convert(body: JsonObject, stream = false) {
  return convertToCohereChatRequest({ model: 'command-a-03-2025', ...body }, stream);
}

function failure(body: JsonObject): BadRequestError {
  try {
    convert(body);
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('expected a BadRequestError');
}

describe('convertToCohereChatRequest', () => {
  it('maps sampling parameters to their Cohere names', () => {
    expect(
      convert({
        messages: [{ role: 'user', content: 'Hi' }],
        max_tokens: 100,
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        stop: 'END',
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.3,
      }),
    ).toEqual({
      body: {
        model: 'command-a-03-2025',
        messages: [{ role: 'user', content: 'Hi' }],
        max_tokens: 100,
        temperature: 0.2,
        p: 0.9,
        k: 40,
        stop_sequences: ['END'],
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.3,
      },
      warnings: [],
    });
  });

  it('prefers max_completion_tokens and keeps a stop list', () => {
    const { body } = convert({ messages: [{ role: 'user', content: 'Hi' }], max_tokens: 10, max_completion_tokens: 20, stop: ['a', 'b'] });
    expect(body.max_tokens).toBe(20);
    expect(body.stop_sequences).toEqual(['a', 'b']);
  });

  it('sets stream only for a streamed call and consumes stream_options', () => {
    const { body, warnings } = convert({ messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } }, true);
    expect(body).toEqual({ model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(warnings).toEqual([]);
  });

  it('converts every message role, a vision part and a tool round trip', () => {
    const { body } = convert({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        { role: 'system', content: [{ type: 'text', text: 'Answer in English.' }] },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this, and the weather there?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          ],
        },
        {
          role: 'assistant',
          content: 'I will look up the weather.',
          tool_calls: [{ id: 'weather_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
        },
        { role: 'tool', tool_call_id: 'weather_1', content: '{"temp":21}' },
        { role: 'assistant', content: null, tool_calls: [{ id: 't2', type: 'function', function: { name: 'currentTime', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't2', content: [{ type: 'text', text: '12:00' }] },
        { role: 'assistant', content: 'It is 21°C.', reasoning_content: 'thought' },
        { role: 'user', content: 'Thanks', name: 'ada' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'system', content: [{ type: 'text', text: 'Answer in English.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is this, and the weather there?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
        ],
      },
      {
        role: 'assistant',
        tool_plan: 'I will look up the weather.',
        tool_calls: [{ id: 'weather_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }],
      },
      { role: 'tool', tool_call_id: 'weather_1', content: '{"temp":21}' },
      { role: 'assistant', tool_calls: [{ id: 't2', type: 'function', function: { name: 'currentTime', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't2', content: [{ type: 'text', text: '12:00' }] },
      { role: 'assistant', content: 'It is 21°C.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('passes tools in the OpenAI shape Cohere v2 shares, leaving tool_choice out for auto', () => {
    const { body } = convert({ messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool, timeTool], tool_choice: 'auto' });
    expect(body.tools).toEqual([weatherTool, timeTool]);
    expect(body).not.toHaveProperty('tool_choice');
  });

  it('maps tool_choice none and required to NONE and REQUIRED', () => {
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: 'none' }).body.tool_choice).toBe('NONE');
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], tools: [weatherTool], tool_choice: 'required' }).body.tool_choice).toBe('REQUIRED');
  });

  it('forces one named function by sending only that tool with REQUIRED', () => {
    const { body } = convert({
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [weatherTool, timeTool],
      tool_choice: { type: 'function', function: { name: 'currentTime' } },
    });
    expect(body.tools).toEqual([timeTool]);
    expect(body.tool_choice).toBe('REQUIRED');
  });

  it('turns strict function tools into strict_tools', () => {
    const strict = { type: 'function', function: { ...weatherTool.function, strict: true } };
    const { body } = convert({ messages: [{ role: 'user', content: 'Hi' }], tools: [strict] });
    expect(body.tools).toEqual([weatherTool]);
    expect(body.strict_tools).toBe(true);
  });

  it('maps JSON mode and JSON-schema mode to json_object', () => {
    const messages = [{ role: 'user', content: 'A person as JSON' }];
    expect(convert({ messages, response_format: { type: 'json_object' } }).body.response_format).toEqual({ type: 'json_object' });
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    expect(convert({ messages, response_format: { type: 'json_schema', json_schema: { name: 'person', schema, strict: true } } }).body.response_format).toEqual({
      type: 'json_object',
      json_schema: schema,
    });
    expect(convert({ messages, response_format: { type: 'text' } }).body).not.toHaveProperty('response_format');
  });

  it('maps reasoning_effort to thinking on or off, unless the caller sent thinking itself', () => {
    const messages = [{ role: 'user', content: '2+2?' }];
    expect(convert({ messages, reasoning_effort: 'none' }).body.thinking).toEqual({ type: 'disabled' });
    expect(convert({ messages, reasoning_effort: 'high' }).body.thinking).toEqual({ type: 'enabled' });
    expect(convert({ messages, reasoning_effort: 'low', thinking: { type: 'enabled', token_budget: 500 } }).body.thinking).toEqual({
      type: 'enabled',
      token_budget: 500,
    });
  });

  it('passes Cohere-only extras through unchanged', () => {
    const documents = [{ id: 'doc:0', data: { text: 'AI provides automation.' } }];
    const { body, warnings } = convert({ messages: [{ role: 'user', content: 'Hi' }], documents, safety_mode: 'OFF', citation_options: { mode: 'FAST' } });
    expect(body).toMatchObject({ documents, safety_mode: 'OFF', citation_options: { mode: 'FAST' } });
    expect(warnings).toEqual([]);
  });

  it('drops parameters Cohere lacks with a warning, and default values silently', () => {
    const { body, warnings } = convert({
      messages: [{ role: 'user', content: 'Hi' }],
      n: 1,
      parallel_tool_calls: true,
      logprobs: false,
      user: 'user-1',
      logit_bias: { '50256': -100 },
      some_future_param: { a: 1 },
    });
    expect(warnings).toEqual(['user', 'logit_bias', 'some_future_param']);
    expect(Object.keys(body)).toEqual(['model', 'messages']);
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], n: 2 }).warnings).toEqual(['n']);
  });

  it('rejects what Cohere cannot take with a 400 naming the parameter', () => {
    expect(failure({ messages: [] }).param).toBe('messages');
    expect(failure({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] })).toMatchObject({
      code: 'unsupported_content',
      param: 'messages[0].content[0]',
    });
    expect(failure({ messages: [{ role: 'function', name: 'f', content: 'x' }] }).param).toBe('messages[0].role');
    expect(failure({ messages: [{ role: 'tool', content: 'x' }] }).param).toBe('messages[0].tool_call_id');
    expect(failure({ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'custom', custom: { name: 'x' } }] })).toMatchObject({
      code: 'unsupported_tool',
      param: 'tools[0]',
    });
    expect(failure({ messages: [{ role: 'user', content: 'x' }], tools: [weatherTool], tool_choice: { type: 'function', function: { name: 'nope' } } }).param).toBe(
      'tool_choice',
    );
    expect(failure({ messages: [{ role: 'user', content: 'x' }], stop: 5 }).param).toBe('stop');
    expect(() => convertToCohereChatRequest({ messages: [{ role: 'user', content: 'x' }] }, false)).toThrow(BadRequestError);
  });
});
