import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject, JsonValue } from '../../../../shared/src/core/json.ts';
import { convertMessagesRequest } from '../../../../shared/src/protocol/anthropic-messages/convert-messages-request.ts';

const weatherSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

function refusal(body: JsonObject): BadRequestError {
  try {
    convertMessagesRequest(body);
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('expected a BadRequestError');
}

describe('convertMessagesRequest', () => {
  it('maps the top-level parameters and keeps unknown ones for the provider', () => {
    const { request, warnings } = convertMessagesRequest({
      model: 'gpt-4.1-nano',
      max_tokens: 256,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hi' }],
      stop_sequences: ['END', '###'],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      metadata: { user_id: 'user-7' },
      thinking: { type: 'enabled', budget_tokens: 1024 },
      stream: true,
      mock: { chunks: 2 },
    });
    expect(request).toEqual({
      model: 'gpt-4.1-nano',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      max_tokens: 256,
      stop: ['END', '###'],
      temperature: 0.2,
      top_p: 0.9,
      user: 'user-7',
      stream: true,
      top_k: 40,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      mock: { chunks: 2 },
    });
    expect(warnings).toEqual([]);
  });

  it('drops the fields that configure Anthropic itself, with a warning for each', () => {
    const { request, warnings } = convertMessagesRequest({
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'Hi' }],
      service_tier: 'auto',
      container: 'container_1',
      mcp_servers: [],
      context_management: { edits: [] },
      stream: false,
      stop_sequences: [],
    });
    expect(request).toEqual({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 });
    expect(warnings).toEqual(['service_tier', 'container', 'mcp_servers', 'context_management']);
  });

  it('joins system text blocks into one system message', () => {
    const { request } = convertMessagesRequest({
      model: 'm',
      system: [
        { type: 'text', text: 'You are a pirate.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: 'Answer in one line.' },
      ],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(request.messages[0]).toEqual({ role: 'system', content: 'You are a pirate.\nAnswer in one line.' });
  });

  it('turns text, base64 and URL images, and documents into OpenAI content parts', () => {
    const { request } = convertMessagesRequest({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'document', title: 'spec.pdf', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Plain notes.' } },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in these?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          { type: 'file', file: { filename: 'spec.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } },
          { type: 'text', text: 'Plain notes.' },
        ],
      },
    ]);
  });

  it('sends a single text block as a plain string', () => {
    const { request } = convertMessagesRequest({ model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }] });
    expect(request.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('turns tool_use into assistant tool calls and tool_result into tool messages placed first', () => {
    const { request } = convertMessagesRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two cities, two calls.', signature: 'sig' },
            { type: 'text', text: 'Checking both.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_2',
              is_error: true,
              content: [
                { type: 'text', text: 'Radar offline.' },
                { type: 'image', source: { type: 'url', url: 'https://example.com/radar.png' } },
              ],
            },
            { type: 'text', text: 'Summarise please.' },
          ],
        },
      ],
    });
    expect(request.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        tool_calls: [
          { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
          { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny' },
      { role: 'tool', tool_call_id: 'toolu_2', content: 'Radar offline.' },
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'https://example.com/radar.png' } },
          { type: 'text', text: 'Summarise please.' },
        ],
      },
    ]);
  });

  it('gives an assistant turn with only tool calls null content, and a tool-result-only turn no user message', () => {
    const { request } = convertMessagesRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'Go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'noop', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] },
      ],
    });
    expect(request.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'noop', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 't1', content: '' },
    ]);
  });

  it('maps tools and each kind of tool_choice', () => {
    const tools: JsonValue[] = [
      { name: 'get_weather', description: 'Current weather', input_schema: weatherSchema, cache_control: { type: 'ephemeral' } },
      { type: 'custom', name: 'noop', input_schema: { type: 'object' } },
    ];
    const base: JsonObject = { model: 'm', messages: [{ role: 'user', content: 'Hi' }], tools };
    const { request } = convertMessagesRequest({ ...base, tool_choice: { type: 'auto' } });
    expect(request.tools).toEqual([
      { type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters: weatherSchema } },
      { type: 'function', function: { name: 'noop', parameters: { type: 'object' } } },
    ]);
    expect(request.tool_choice).toBe('auto');
    expect(convertMessagesRequest({ ...base, tool_choice: { type: 'any', disable_parallel_tool_use: true } }).request).toMatchObject({
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
    expect(convertMessagesRequest({ ...base, tool_choice: { type: 'tool', name: 'noop' } }).request.tool_choice).toEqual({
      type: 'function',
      function: { name: 'noop' },
    });
    expect(convertMessagesRequest({ ...base, tool_choice: { type: 'none' } }).request.tool_choice).toBe('none');
  });

  it('leaves tool_choice out when no tools are offered (OpenAI refuses it alone)', () => {
    const { request } = convertMessagesRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], tool_choice: { type: 'auto' } });
    expect(request).toEqual({ model: 'm', messages: [{ role: 'user', content: 'Hi' }] });
  });

  it.each([
    [{ messages: [{ role: 'user', content: 'Hi' }] }, 'model'],
    [{ model: 'm', messages: [] }, 'messages'],
    [{ model: 'm', messages: [{ role: 'system', content: 'Hi' }] }, 'messages[0].role'],
    [{ model: 'm', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content'],
    [{ model: 'm', messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages[0].content[0].text'],
    [{ model: 'm', max_tokens: '10', messages: [{ role: 'user', content: 'Hi' }] }, 'max_tokens'],
    [{ model: 'm', stop_sequences: 'END', messages: [{ role: 'user', content: 'Hi' }] }, 'stop_sequences'],
    [{ model: 'm', tools: [{ name: 'x' }], messages: [{ role: 'user', content: 'Hi' }] }, 'tools[0].input_schema'],
    [{ model: 'm', tools: [{ name: 'x', input_schema: {} }], tool_choice: { type: 'sometimes' }, messages: [{ role: 'user', content: 'Hi' }] }, 'tool_choice.type'],
  ] as Array<[JsonObject, string]>)('names the field that is wrong: %j → %s', (body, param) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
  });

  it.each([
    [{ tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type'],
    [{ messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'file', file_id: 'file_1' } }] }] }, 'messages[0].content[0].source.type'],
    [{ messages: [{ role: 'user', content: [{ type: 'search_result', source: 'x', title: 't', content: [] }] }] }, 'messages[0].content[0].type'],
    [{ messages: [{ role: 'assistant', content: [{ type: 'server_tool_use', id: 's', name: 'web_search', input: {} }] }] }, 'messages[0].content[0].type'],
  ] as Array<[JsonObject, string]>)('refuses what only Anthropic can serve: %j', (extra, param) => {
    const error = refusal({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], ...extra });
    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe(param);
    expect(error.message).toContain('only be sent to the anthropic provider');
  });
});
