import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import { convertToBedrockRequest } from '../../../../shared/src/providers/bedrock/convert-to-bedrock-request.ts';

const MODEL = 'anthropic.claude-3-5-sonnet-20241022-v2:0';
// A 1×1 PNG's first bytes are enough: the gateway does not decode images.
const PNG_BASE64 = 'iVBORw0KGgo=';

const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

function thrown(run: () => unknown): BadRequestError {
  try {
    run();
  } catch (error) {
    if (error instanceof BadRequestError) return error;
    throw error;
  }
  throw new Error('expected a BadRequestError');
}

describe('convertToBedrockRequest', () => {
  it('maps system messages, sampling parameters and stop sequences', () => {
    expect(
      convertToBedrockRequest({
        model: MODEL,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
          { role: 'user', content: 'Hello' },
        ],
        max_completion_tokens: 256,
        max_tokens: 10,
        temperature: 0.5,
        top_p: 0.9,
        stop: 'END',
        stream: true,
        stream_options: { include_usage: true },
        n: 1,
      }),
    ).toEqual({
      input: {
        modelId: MODEL,
        system: [{ text: 'Be brief.' }, { text: 'Answer in French.' }],
        messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
        inferenceConfig: { maxTokens: 256, temperature: 0.5, topP: 0.9, stopSequences: ['END'] },
      },
      jsonMode: false,
      warnings: [],
    });
  });

  it('turns data: image URLs into image blocks with bytes and refuses http image URLs', () => {
    const { input } = convertToBedrockRequest({
      model: MODEL,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
          ],
        },
      ],
    });
    expect(input.messages).toEqual([
      {
        role: 'user',
        content: [{ text: 'What is this?' }, { image: { format: 'png', source: { bytes: new Uint8Array(Buffer.from(PNG_BASE64, 'base64')) } } }],
      },
    ]);

    const error = thrown(() =>
      convertToBedrockRequest({
        model: MODEL,
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
      }),
    );
    expect(error.status).toBe(400);
    expect(error.code).toBe('unsupported_image_url');
    expect(error.param).toBe('messages[0].content[0].image_url.url');
    expect(error.message).toContain('http(s) image URLs are not supported by the Converse API');
  });

  it('maps a tool-call round trip: toolUse in the assistant turn, toolResults in one user turn', () => {
    const { input } = convertToBedrockRequest({
      model: MODEL,
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: 'tooluse_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'tooluse_2', type: 'function', function: { name: 'get_weather', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'tooluse_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'tooluse_2', content: [{ type: 'text', text: '24°C' }] },
        { role: 'user', content: 'Thanks!' },
      ],
      tools: [WEATHER_TOOL],
    });
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'assistant',
        content: [
          { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris' } } },
          { toolUse: { toolUseId: 'tooluse_2', name: 'get_weather', input: {} } },
        ],
      },
      {
        role: 'user',
        content: [
          { toolResult: { toolUseId: 'tooluse_1', content: [{ text: '18°C' }] } },
          { toolResult: { toolUseId: 'tooluse_2', content: [{ text: '24°C' }] } },
          { text: 'Thanks!' },
        ],
      },
    ]);
    expect(input.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'get_weather',
            description: 'Weather for a city.',
            inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
          },
        },
      ],
      toolChoice: { auto: {} },
    });
  });

  it.each([
    ['auto', { auto: {} }],
    ['required', { any: {} }],
    [{ type: 'function', function: { name: 'get_weather' } }, { tool: { name: 'get_weather' } }],
  ] as const)('maps tool_choice %j to %j', (toolChoice, expected) => {
    const { input } = convertToBedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], tool_choice: toolChoice });
    expect(input.toolConfig?.toolChoice).toEqual(expected);
  });

  it('leaves toolConfig out for tool_choice none, unless the history needs it (then with a warning)', () => {
    expect(
      convertToBedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'Hi' }], tools: [WEATHER_TOOL], tool_choice: 'none' }).input.toolConfig,
    ).toBeUndefined();
    const withHistory = convertToBedrockRequest({
      model: MODEL,
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', tool_calls: [{ id: 't1', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'sunny' },
      ],
      tools: [WEATHER_TOOL],
      tool_choice: 'none',
    });
    expect(withHistory.input.toolConfig?.toolChoice).toEqual({ auto: {} });
    expect(withHistory.warnings).toEqual(['tool_choice']);
  });

  it('asks for JSON through a forced json tool carrying the schema', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
    const converted = convertToBedrockRequest({
      model: MODEL,
      messages: [{ role: 'user', content: 'A name, please.' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema, strict: true } },
    });
    expect(converted.jsonMode).toBe(true);
    expect(converted.input.toolConfig).toEqual({
      tools: [{ toolSpec: { name: 'json', description: 'Respond with a JSON object.', inputSchema: { json: schema } } }],
      toolChoice: { tool: { name: 'json' } },
    });
    const objectMode = convertToBedrockRequest({ model: MODEL, messages: [{ role: 'user', content: 'JSON!' }], response_format: { type: 'json_object' } });
    expect(objectMode.input.toolConfig?.tools?.[0]?.toolSpec?.inputSchema).toEqual({ json: { type: 'object' } });
  });

  it('in JSON mode with caller tools, requires a tool call (the caller\'s or json)', () => {
    const { input } = convertToBedrockRequest({
      model: MODEL,
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [WEATHER_TOOL],
      response_format: { type: 'json_object' },
    });
    expect(input.toolConfig?.tools?.map((tool) => tool.toolSpec?.name)).toEqual(['get_weather', 'json']);
    expect(input.toolConfig?.toolChoice).toEqual({ any: {} });
  });

  it('drops OpenAI-only parameters with warnings and sends unknown ones as additionalModelRequestFields', () => {
    const converted = convertToBedrockRequest({
      model: MODEL,
      messages: [{ role: 'user', content: 'Hi' }],
      seed: 7,
      frequency_penalty: 0.5,
      logprobs: false,
      user: 'u-1',
      n: 2,
      parallel_tool_calls: true,
      metadata: { team: 'search' },
      top_k: 40,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      additionalModelRequestFields: { anthropic_beta: ['context-1m-2025-08-07'] },
      guardrailConfig: { guardrailIdentifier: 'gr-1', guardrailVersion: '1' },
      tools: [{ ...WEATHER_TOOL, function: { ...WEATHER_TOOL.function, strict: true } }],
    });
    expect(converted.warnings).toEqual(['frequency_penalty', 'n', 'parallel_tool_calls', 'seed', 'tools.function.strict', 'user']);
    expect(converted.input.additionalModelRequestFields).toEqual({
      anthropic_beta: ['context-1m-2025-08-07'],
      top_k: 40,
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
    expect(converted.input.guardrailConfig).toEqual({ guardrailIdentifier: 'gr-1', guardrailVersion: '1' });
    expect(converted.input.requestMetadata).toEqual({ team: 'search' });
  });

  it('merges consecutive turns of one role and skips empty assistant turns', () => {
    const { input } = convertToBedrockRequest({
      model: MODEL,
      messages: [
        { role: 'user', content: 'One.' },
        { role: 'user', content: 'Two.' },
        { role: 'assistant', content: null },
        { role: 'assistant', content: 'Three.', reasoning_content: 'hidden' },
      ],
    });
    expect(input.messages).toEqual([
      { role: 'user', content: [{ text: 'One.' }, { text: 'Two.' }] },
      { role: 'assistant', content: [{ text: 'Three.' }] },
    ]);
  });

  it('refuses malformed input with the path of what is wrong', () => {
    expect(thrown(() => convertToBedrockRequest({ model: MODEL, messages: [] })).param).toBe('messages');
    expect(thrown(() => convertToBedrockRequest({ messages: [{ role: 'user', content: 'Hi' }] })).param).toBe('model');
    expect(
      thrown(() =>
        convertToBedrockRequest({
          model: MODEL,
          messages: [{ role: 'assistant', tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{oops' } }] }],
        }),
      ).param,
    ).toBe('messages[0].tool_calls[0].function.arguments');
    expect(thrown(() => convertToBedrockRequest({ model: MODEL, messages: [{ role: 'user', content: [{ type: 'input_audio' }] }] })).code).toBe(
      'unsupported_content_part',
    );
  });
});
