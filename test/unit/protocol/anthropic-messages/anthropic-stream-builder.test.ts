import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../../../shared/src/core/chat-types.ts';
import { AnthropicStreamBuilder } from '../../../../shared/src/protocol/anthropic-messages/anthropic-stream-builder.ts';

type Delta = ChatCompletionChunk['choices'][number]['delta'];

function chunk(delta: Delta, finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [{ index: 0, delta, finish_reason: finishReason }] };
}

function run(chunks: ChatCompletionChunk[]) {
  const builder = new AnthropicStreamBuilder({ model: 'requested-model', fallbackMessageId: 'msg_fallback' });
  return [...chunks.flatMap((next) => builder.push(next)), ...builder.finish(undefined)];
}

describe('AnthropicStreamBuilder', () => {
  it('writes reasoning, text and each tool call as blocks one after another', () => {
    const events = run([
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'Think' }),
      chunk({ reasoning_content: 'ing.' }),
      chunk({ content: 'Let me check.' }),
      chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Oslo"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{}' } }] }),
      chunk({}, 'tool_calls'),
      { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-x', choices: [], usage: { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 } },
    ]);
    expect(events).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'gpt-x',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Think' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'ing.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Let me check.' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'call_a', name: 'weather', input: {} } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"Oslo"}' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'tool_use', id: 'call_b', name: 'time', input: {} } },
      { type: 'content_block_delta', index: 3, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 3 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { input_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 9 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('ends an empty stream as an empty message, with the fallback id and the requested model', () => {
    expect(run([]).map((event) => event.type)).toEqual(['message_start', 'message_delta', 'message_stop']);
    expect(run([])[0]).toMatchObject({ message: { id: 'msg_fallback', model: 'requested-model' } });
  });

  it('maps the finish reason and reads only the first choice', () => {
    const events = run([
      { ...chunk({ content: 'A' }), choices: [{ index: 1, delta: { content: 'B' }, finish_reason: null }, { index: 0, delta: { content: 'A' }, finish_reason: null }] },
      chunk({}, 'length'),
    ]);
    const texts = events.flatMap((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? [event.delta.text] : []));
    expect(texts).toEqual(['A']);
    expect(events.at(-2)).toMatchObject({ type: 'message_delta', delta: { stop_reason: 'max_tokens' } });
  });

  it('lets the final usage win over usage seen in chunks', () => {
    const builder = new AnthropicStreamBuilder({ model: 'm', fallbackMessageId: 'msg_x' });
    builder.push({ ...chunk({ content: 'Hi' }), usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    expect(builder.finish({ promptTokens: 7, completionTokens: 3, totalTokens: 10 })).toContainEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { input_tokens: 7, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 3 },
    });
  });
});
