import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../../../../shared/src/core/gateway-error.ts';
import type { JsonObject, JsonValue } from '../../../../shared/src/core/json.ts';
import { convertChatRequest } from '../../../../shared/src/providers/google/convert-chat-request.ts';
import { SKIP_THOUGHT_SIGNATURE } from '../../../../shared/src/providers/google/convert-to-gemini-contents.ts';

function convert(body: JsonObject) {
  return convertChatRequest({ model: 'gemini-2.5-flash', ...body });
}

describe('convertChatRequest', () => {
  it('maps roles, merges consecutive turns and collects system messages into the system instruction', () => {
    const { request, warnings } = convert({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'user', content: [{ type: 'text', text: 'Still there?' }] },
        { role: 'assistant', content: 'Yes.' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Bonjour' },
      ],
    });
    expect(request).toEqual({
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }, { text: 'Still there?' }] },
        { role: 'model', parts: [{ text: 'Yes.' }] },
        { role: 'user', parts: [{ text: 'Bonjour' }] },
      ],
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
    });
    expect(warnings).toEqual([]);
  });

  it('sends data: images inline and http(s) images as file data', () => {
    const { request } = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare these.' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=', detail: 'low' } },
            { type: 'image_url', image_url: { url: 'https://example.com/photos/cat.webp?size=large' } },
            { type: 'image_url', image_url: { url: 'https://example.com/render' } },
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          ],
        },
      ],
    });
    expect(request.contents[0]?.parts).toEqual([
      { text: 'Compare these.' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/photos/cat.webp?size=large' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
      { inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } },
      { inlineData: { mimeType: 'application/pdf', data: 'JVBERi0=' } },
    ]);
  });

  it('refuses image URLs that are neither base64 data: URLs nor http(s), and unknown part types', () => {
    const badUrl = () => convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'ftp://x/y.png' } }] }] });
    expect(badUrl).toThrow(BadRequestError);
    expect(badUrl).toThrow(expect.objectContaining({ param: 'messages[0].content[0]', status: 400 }));
    expect(() => convert({ messages: [{ role: 'user', content: [{ type: 'video_url', url: 'x' }] }] })).toThrow(/video_url/);
  });

  it('turns tool calls into functionCall parts and tool results into functionResponse parts named after the call', () => {
    const { request } = convert({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_b', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_a', content: '{"temperature":21}' },
        { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: 'sunny' }] },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(request.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'model',
        parts: [{ functionCall: { name: 'weather', args: { city: 'Paris' } } }, { functionCall: { name: 'weather', args: { city: 'Rome' } } }],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'weather', response: { temperature: 21 } } },
          { functionResponse: { name: 'weather', response: { output: 'sunny' } } },
          { text: 'Thanks' },
        ],
      },
    ]);
  });

  it('replays thought signatures, and signs Gemini 3 calls that lost theirs with the documented sentinel', () => {
    const messages: JsonValue[] = [
      { role: 'user', content: 'Weather?' },
      {
        role: 'assistant',
        content: 'Let me check.',
        tool_calls: [
          { id: 'c1', type: 'function', function: { name: 'weather', arguments: '' }, extra_content: { google: { thought_signature: 'sig-1' } } },
        ],
      },
      { role: 'tool', tool_call_id: 'c1', content: '21' },
      { role: 'assistant', tool_calls: [{ id: 'c2', type: 'function', function: { name: 'weather', arguments: '{}' } }, { id: 'c3', type: 'function', function: { name: 'time', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c2', content: '22' },
      { role: 'tool', tool_call_id: 'c3', content: 'noon' },
    ];
    const gemini3 = convertChatRequest({ model: 'models/gemini-3-pro-preview', messages });
    expect(gemini3.request.contents[1]).toEqual({
      role: 'model',
      parts: [{ text: 'Let me check.' }, { functionCall: { name: 'weather', args: {} }, thoughtSignature: 'sig-1' }],
    });
    expect(gemini3.request.contents[2]?.parts?.[0]).toEqual({ functionResponse: { name: 'weather', response: { output: 21 } } });
    expect(gemini3.request.contents[3]).toEqual({
      role: 'model',
      parts: [
        { functionCall: { name: 'weather', args: {} }, thoughtSignature: SKIP_THOUGHT_SIGNATURE },
        { functionCall: { name: 'time', args: {} } },
      ],
    });
    const gemini25 = convertChatRequest({ model: 'gemini-2.5-flash', messages });
    expect(gemini25.request.contents[3]?.parts?.[0]).toEqual({ functionCall: { name: 'weather', args: {} } });
  });

  it('refuses a tool result whose call id matches no earlier tool call, and unparsable arguments', () => {
    expect(() => convert({ messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'nope', content: '1' }] })).toThrow(
      expect.objectContaining({ status: 400, code: 'invalid_tool_message', param: 'messages[1].tool_call_id' }),
    );
    expect(() =>
      convert({ messages: [{ role: 'assistant', tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{oops' } }] }] }),
    ).toThrow(expect.objectContaining({ param: 'messages[0].tool_calls[0].function.arguments' }));
    expect(() => convert({ messages: [] })).toThrow(expect.objectContaining({ param: 'messages' }));
  });

  it('declares tools with cleaned schemas and maps every tool_choice', () => {
    const tools: JsonValue[] = [
      {
        type: 'function',
        function: {
          name: 'weather',
          description: 'Get the weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
    ];
    const { request } = convert({ messages: [{ role: 'user', content: 'x' }], tools, tool_choice: 'auto' });
    expect(request.tools).toEqual([
      {
        functionDeclarations: [
          { name: 'weather', description: 'Get the weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
          { name: 'now' },
        ],
      },
    ]);
    expect(request.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    const choice = (toolChoice: JsonObject['x']) => convert({ messages: [{ role: 'user', content: 'x' }], tools, tool_choice: toolChoice }).request.toolConfig;
    expect(choice('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(choice('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(choice({ type: 'function', function: { name: 'weather' } })).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] } });
    expect(() => choice('sometimes')).toThrow(expect.objectContaining({ param: 'tool_choice' }));
  });

  it('maps sampling parameters into generationConfig', () => {
    const { request, warnings } = convert({
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.2,
      top_p: 0.9,
      top_k: 40,
      max_tokens: 100,
      max_completion_tokens: 200,
      stop: 'END',
      n: 2,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      response_format: { type: 'json_object' },
      user: 'u-1',
      stream: true,
      stream_options: { include_usage: true },
      parallel_tool_calls: true,
    });
    expect(request.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 200,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      responseMimeType: 'application/json',
    });
    expect(warnings).toEqual([]);
  });

  it('sends a json_schema response format as a cleaned responseSchema', () => {
    const { request } = convert({
      messages: [{ role: 'user', content: 'x' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'holiday', strict: true, schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'], additionalProperties: false } },
      },
    });
    expect(request.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    });
  });

  it('maps reasoning_effort to a thinking level on Gemini 3 and a budget before', () => {
    const messages = [{ role: 'user', content: 'x' }];
    expect(convertChatRequest({ model: 'gemini-3-pro-preview', messages, reasoning_effort: 'high' }).request.generationConfig).toEqual({
      thinkingConfig: { thinkingLevel: 'high', includeThoughts: true },
    });
    expect(convertChatRequest({ model: 'gemini-2.5-flash', messages, reasoning_effort: 'low' }).request.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    });
    expect(convertChatRequest({ model: 'gemini-2.5-flash', messages, reasoning_effort: 'none' }).request.generationConfig).toEqual({
      thinkingConfig: { thinkingBudget: 0 },
    });
  });

  it('drops parameters Gemini has no equivalent for and names them as warnings', () => {
    const { request, warnings } = convert({
      messages: [{ role: 'user', content: 'x' }],
      logit_bias: { '1': 2 },
      logprobs: true,
      top_logprobs: 2,
      parallel_tool_calls: false,
      service_tier: 'auto',
    });
    expect(request.generationConfig).toBeUndefined();
    expect(warnings).toEqual(['logit_bias', 'top_logprobs', 'service_tier', 'parallel_tool_calls', 'logprobs']);
  });

  it('passes safety_settings through as safetySettings', () => {
    const settings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }];
    expect(convert({ messages: [{ role: 'user', content: 'x' }], safety_settings: settings }).request.safetySettings).toEqual(settings);
  });
});
