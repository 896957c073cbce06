import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject } from '../../../../shared/src/core/json.ts';
import { convertToAnthropicRequest } from '../../../../shared/src/providers/anthropic/convert-to-anthropic-request.ts';

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const WEATHER_SCHEMA = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };

function convert(body: JsonObject, stream = false) {
  return convertToAnthropicRequest({ model: 'claude-sonnet-4-5-20250929', ...body }, stream);
}

function thrown(action: () => unknown): BadRequestError {
  try {
    action();
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('expected a BadRequestError');
}

describe('convertToAnthropicRequest', () => {
  it('moves system and developer messages to `system` and defaults max_tokens to 4096', () => {
    const plan = convert({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Hello' },
      ],
    });
    expect(plan.body).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 4096,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Answer in French.' },
      ],
      messages: [{ role: 'user', content: 'Hello' }],
    });
    expect(plan.warnings).toEqual([]);
    expect(plan.jsonToolName).toBeUndefined();
    expect(plan.includeUsage).toBe(false);
  });

  it('merges consecutive messages of one role, with tool results leading the user turn', () => {
    const plan = convert({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        { role: 'user', content: [{ type: 'text', text: 'Quickly.' }] },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
        { role: 'user', content: 'And tomorrow?' },
        { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '21°C' }] },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(plan.body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather in Paris and Rome?' },
          { type: 'text', text: 'Quickly.' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: '21°C' }] },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
    expect(plan.body.tools).toEqual([{ name: 'get_weather', description: 'Weather for a city', input_schema: WEATHER_SCHEMA }]);
    expect(plan.body.tool_choice).toBeUndefined();
  });

  it('sends an assistant message with only tool calls as tool_use blocks, and drops its reasoning_content', () => {
    const plan = convert({
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'They said hi.',
          tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'wave', arguments: '{}' } }],
        },
      ],
    });
    expect(plan.body.messages[1]).toEqual({ role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_9', name: 'wave', input: {} }] });
  });

  it('turns data: image URLs into base64 sources and http(s) URLs into URL sources, keeping cache_control', () => {
    const plan = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.', cache_control: { type: 'ephemeral' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          ],
        },
      ],
    });
    expect(plan.body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Compare these.', cache_control: { type: 'ephemeral' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
          { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' }, title: 'a.pdf' },
        ],
      },
    ]);
  });

  it('rejects an image URL that is neither http(s) nor base64 data, naming the parameter', () => {
    const error = thrown(() => convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] }));
    expect(error.status).toBe(400);
    expect(error.param).toBe('messages[0].content[0].image_url.url');
  });

  it('rejects tool call arguments that are not JSON', () => {
    const error = thrown(() =>
      convert({
        messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }] }],
      }),
    );
    expect(error.param).toBe('messages[0].tool_calls[0].function.arguments');
  });

  it.each([
    ['auto', { type: 'auto' }],
    ['required', { type: 'any' }],
    ['none', { type: 'none' }],
    [{ type: 'function', function: { name: 'get_weather' } }, { type: 'tool', name: 'get_weather' }],
  ] as const)('maps tool_choice %j to %j', (choice, expected) => {
    const plan = convert({ messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], tool_choice: choice });
    expect(plan.body.tool_choice).toEqual(expected);
  });

  it('maps parallel_tool_calls: false to disable_parallel_tool_use', () => {
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], parallel_tool_calls: false }).body.tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(
      convert({ messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], tool_choice: 'required', parallel_tool_calls: false }).body
        .tool_choice,
    ).toEqual({ type: 'any', disable_parallel_tool_use: true });
  });

  it('maps the sampling parameters and names the ones Claude cannot take in warnings', () => {
    const plan = convert(
      {
        messages: [{ role: 'user', content: 'Hi' }],
        max_tokens: 100,
        max_completion_tokens: 300,
        stop: 'END',
        temperature: 1.4,
        top_p: 0.9,
        top_k: 40,
        user: 'user-7',
        n: 1,
        logprobs: false,
        seed: 7,
        frequency_penalty: 0.5,
        stream_options: { include_usage: true },
        service_tier: 'flex',
      },
      true,
    );
    expect(plan.body).toEqual({
      model: 'claude-sonnet-4-5-20250929',
      max_tokens: 300,
      messages: [{ role: 'user', content: 'Hi' }],
      stop_sequences: ['END'],
      temperature: 1,
      top_p: 0.9,
      metadata: { user_id: 'user-7' },
      top_k: 40,
      stream: true,
    });
    expect(plan.warnings).toEqual(['temperature', 'service_tier', 'seed', 'frequency_penalty']);
    expect(plan.includeUsage).toBe(true);
  });

  it('answers JSON mode with a forced tool whose schema is the caller’s', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const plan = convert({
      messages: [{ role: 'user', content: 'Hi' }],
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
    });
    expect(plan.jsonToolName).toBe('json');
    expect(plan.body.tools).toEqual([{ name: 'json', description: 'Respond with a JSON object.', input_schema: schema }]);
    expect(plan.body.tool_choice).toEqual({ type: 'tool', name: 'json', disable_parallel_tool_use: true });

    const object = convert({ messages: [{ role: 'user', content: 'Hi' }], response_format: { type: 'json_object' } });
    expect(object.body.tools).toEqual([{ name: 'json', description: 'Respond with a JSON object.', input_schema: { type: 'object' } }]);
  });

  it('offers the JSON tool beside the caller’s tools and requires one of them, avoiding a name clash', () => {
    const jsonNamedTool = { type: 'function', function: { name: 'json', parameters: { type: 'object' } } };
    const plan = convert({ messages: [{ role: 'user', content: 'Hi' }], tools: [jsonNamedTool], response_format: { type: 'json_object' } });
    expect(plan.jsonToolName).toBe('json_response');
    expect(plan.body.tools?.map((tool) => tool.name)).toEqual(['json', 'json_response']);
    expect(plan.body.tool_choice).toEqual({ type: 'any' });
  });

  it('lets Claude choose the JSON tool when thinking is on, since forced choices are refused then', () => {
    const plan = convert({
      messages: [{ role: 'user', content: 'Hi' }],
      thinking: { type: 'enabled', budget_tokens: 2000 },
      response_format: { type: 'json_object' },
    });
    expect(plan.body.tool_choice).toEqual({ type: 'auto' });
    expect(plan.body.thinking).toEqual({ type: 'enabled', budget_tokens: 2000 });
    expect(plan.body.max_tokens).toBe(4096 + 2000);
  });

  it('maps reasoning_effort to a thinking budget on models that take one', () => {
    const plan = convert({ messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'medium' });
    expect(plan.body.thinking).toEqual({ type: 'enabled', budget_tokens: 8192 });
    expect(plan.body.max_tokens).toBe(4096 + 8192);

    const capped = convert({ messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'high', max_completion_tokens: 5000 });
    expect(capped.body.thinking).toEqual({ type: 'enabled', budget_tokens: 4999 });
    expect(capped.body.max_tokens).toBe(5000);

    const tooSmall = convert({ messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'low', max_tokens: 500 });
    expect(tooSmall.body.thinking).toBeUndefined();
    expect(tooSmall.warnings).toEqual(['reasoning_effort']);
  });

  it('maps reasoning_effort to adaptive thinking with an effort level on newer models', () => {
    const plan = convertToAnthropicRequest(
      { model: 'claude-opus-5', messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'high', output_config: { format: null } },
      false,
    );
    expect(plan.body.thinking).toEqual({ type: 'adaptive' });
    expect(plan.body.output_config).toEqual({ format: null, effort: 'high' });
    expect(plan.body.max_tokens).toBe(4096 + 16384);
  });

  it('leaves thinking off for reasoning_effort none and warns for models without thinking', () => {
    expect(convert({ messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'none' }).body.thinking).toBeUndefined();
    const old = convertToAnthropicRequest({ model: 'claude-3-haiku-20240307', messages: [{ role: 'user', content: 'Hi' }], reasoning_effort: 'low' }, false);
    expect(old.body.thinking).toBeUndefined();
    expect(old.warnings).toEqual(['reasoning_effort']);
  });

  it('requires a model and an array of messages', () => {
    expect(thrown(() => convertToAnthropicRequest({ messages: [] }, false)).param).toBe('model');
    expect(thrown(() => convert({ messages: 'hi' })).param).toBe('messages');
    expect(thrown(() => convert({ messages: [{ role: 'wizard', content: 'hi' }] })).param).toBe('messages[0].role');
  });
});
