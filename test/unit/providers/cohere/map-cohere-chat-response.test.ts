import { describe, expect, it } from 'vitest';
import type { CohereChatResponse } from '../../../../shared/src/providers/cohere/cohere-api-types.ts';
import { mapCohereChatResponse, normaliseToolArguments } from '../../../../shared/src/providers/cohere/map-cohere-chat-response.ts';
import { fixtureText } from '../../../support/mock-upstream.ts';

const context = { model: 'command-a-03-2025', created: 1_700_000_000, fallbackId: 'chatcmpl-fallback' };

function mapFixture(name: string) {
  return mapCohereChatResponse(JSON.parse(fixtureText(`cohere/${name}`)) as CohereChatResponse, context);
}

describe('mapCohereChatResponse', () => {
  it('maps a text answer with usage from `tokens` and the cached count', () => {
    expect(mapFixture('cohere-text.json')).toEqual({
      completion: {
        id: 'e7592632-1e3d-424f-b129-bd5f9f980f7b',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'command-a-03-2025',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'The capital of France is Paris.', refusal: null },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage: { prompt_tokens: 507, completion_tokens: 10, total_tokens: 517, prompt_tokens_details: { cached_tokens: 448 } },
      },
      usage: { promptTokens: 507, completionTokens: 10, totalTokens: 517, cachedPromptTokens: 448 },
    });
  });

  it('maps tool calls, with the tool plan as the turn text', () => {
    const { completion } = mapFixture('cohere-tool-call.json');
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content:
            'I will use the weather tool to find out the weather in San Francisco. I will also use the cityAttractions tool to find out what attractions are in San Francisco.',
          tool_calls: [
            { id: 'weather_dqgshstja6p9', type: 'function', function: { name: 'weather', arguments: '{"location":"San Francisco"}' } },
            { id: 'cityAttractions_dcxfx4myvx68', type: 'function', function: { name: 'cityAttractions', arguments: '{"city":"San Francisco"}' } },
          ],
          refusal: null,
        },
        logprobs: null,
        finish_reason: 'tool_calls',
      },
    ]);
  });

  it('turns "null" tool arguments into an empty object', () => {
    const { completion } = mapFixture('cohere-null-args.json');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      { id: 'currentTime_tf4dywn8wgnk', type: 'function', function: { name: 'currentTime', arguments: '{}' } },
    ]);
    expect(normaliseToolArguments(' null ')).toBe('{}');
    expect(normaliseToolArguments('')).toBe('{}');
    expect(normaliseToolArguments('{"a":1}')).toBe('{"a":1}');
  });

  it('puts thinking in reasoning_content', () => {
    const { completion } = mapFixture('cohere-reasoning.json');
    expect(completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: '2 + 2 = 4',
      reasoning_content: 'Okay, so I need to figure out what 2 + 2 is. Let me start by recalling what addition means.',
      refusal: null,
    });
  });

  it('maps MAX_TOKENS to length', () => {
    const { completion } = mapFixture('cohere-max-tokens.json');
    expect(completion.choices[0]).toMatchObject({ message: { content: '**The History of' }, finish_reason: 'length' });
  });

  it('keeps citations on the message in Cohere shape', () => {
    const fixture = JSON.parse(fixtureText('cohere/cohere-citations.json')) as CohereChatResponse;
    const { completion } = mapFixture('cohere-citations.json');
    expect(completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'The key benefits mentioned in this document are:\n1. Automation of tasks\n2. Better decision-making\n3. Cost reduction',
      refusal: null,
      citations: fixture.message?.citations,
    });
  });

  it('maps JSON-mode and vision answers like any text answer', () => {
    expect(mapFixture('cohere-json-mode.json').completion.choices[0]?.message.content).toBe('{\n  "name": "Ada Lovelace",\n  "age": 36\n}');
    const vision = mapFixture('cohere-vision.json');
    expect(vision.completion.choices[0]?.message.content).toBe('The image shows a red circle centred on a white background.');
    expect(vision.usage).toEqual({ promptTokens: 783, completionTokens: 15, totalTokens: 798 });
  });

  it('reads a sparse answer leniently, falling back to billed units and the fallback id', () => {
    const { completion, usage } = mapCohereChatResponse(
      { message: { content: [{ type: 'text', text: 'Hi' }, { type: 'future-block' }] }, usage: { billed_units: { input_tokens: 3, output_tokens: 1 } }, extra: 1 } as CohereChatResponse,
      context,
    );
    expect(completion.id).toBe('chatcmpl-fallback');
    expect(completion.choices[0]?.message.content).toBe('Hi');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(usage).toEqual({ promptTokens: 3, completionTokens: 1, totalTokens: 4 });
    expect(mapCohereChatResponse({}, context).completion.choices[0]?.message.content).toBeNull();
  });
});
