import { describe, expect, it } from 'vitest';
import type { ChatStreamPart } from '../../../../shared/src/protocol/chat-chunk-stream.ts';
import { createGeminiStreamTransformer } from '../../../../shared/src/providers/google/gemini-stream-transformer.ts';
import { fixtureChunks } from '../../../support/mock-upstream.ts';

function run(payloads: readonly string[]): ChatStreamPart[] {
  const transformer = createGeminiStreamTransformer({ model: 'gemini-requested', created: 42, randomKey: () => 'key' });
  const parts = payloads.flatMap((data) => transformer.transform({ data, event: undefined, id: undefined }));
  return [...parts, ...(transformer.flush?.() ?? [])];
}

function summary(parts: ChatStreamPart[]): unknown[] {
  return parts.map((part) => (part.type === 'chunk' ? part.chunk.choices.map((choice) => ({ i: choice.index, ...choice.delta, finish: choice.finish_reason })) : part.type));
}

describe('createGeminiStreamTransformer', () => {
  it('streams Gemini 3 text, finishing once and sending the last usage after the finish', () => {
    const parts = run(fixtureChunks('google/google-reasoning-gemini3.chunks.txt'));
    expect(summary(parts)).toEqual([
      [{ i: 0, role: 'assistant', content: 'There are **3** "r"s in strawberry.\n\n', finish: null }],
      [{ i: 0, content: 'St**r**awbe**rr**y', finish: null }],
      [{ i: 0, finish: 'stop' }],
      'usage',
      'finish',
    ]);
    const usage = parts.find((part) => part.type === 'usage');
    expect(usage).toMatchObject({
      usage: { promptTokens: 9, completionTokens: 325, totalTokens: 334, reasoningTokens: 302 },
      chunk: { id: 'chatcmpl-M3iLaY-AI7zTxN8P3Piw4Qg', created: 42, model: 'gemini-3-pro-preview', choices: [] },
    });
  });

  it('keeps candidates apart and waits for the stream end before the finish marker', () => {
    const parts = run([
      JSON.stringify({ candidates: [{ index: 0, content: { parts: [{ text: 'A' }] } }, { index: 1, content: { parts: [{ text: 'B' }] } }] }),
      JSON.stringify({ candidates: [{ index: 1, content: { parts: [{ functionCall: { name: 'f', args: {} } }] }, finishReason: 'STOP' }] }),
      JSON.stringify({ candidates: [{ index: 0, content: { parts: [{ text: '!' }] }, finishReason: 'MAX_TOKENS' }] }),
      JSON.stringify({ usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 4, totalTokenCount: 7 } }),
    ]);
    expect(summary(parts)).toEqual([
      [{ i: 0, role: 'assistant', content: 'A', finish: null }],
      [{ i: 1, role: 'assistant', content: 'B', finish: null }],
      [{ i: 1, tool_calls: [{ index: 0, id: 'call_key_1_0', type: 'function', function: { name: 'f', arguments: '{}' } }], finish: null }],
      [{ i: 1, finish: 'tool_calls' }],
      [{ i: 0, content: '!', finish: null }],
      [{ i: 0, finish: 'length' }],
      'usage',
      'finish',
    ]);
    const first = parts[0];
    expect(first?.type === 'chunk' ? first.chunk.model : undefined).toBe('gemini-requested');
  });

  it('gives no finish marker to a stream without a finishReason', () => {
    expect(run(fixtureChunks('google/google-text.chunks.txt').slice(0, 2)).map((part) => part.type)).toEqual(['chunk', 'chunk']);
  });

  it('turns an error event into an error part with the error status', () => {
    const [part] = run(['{"error":{"code":429,"message":"Quota","status":"RESOURCE_EXHAUSTED"}}']);
    expect(part?.type).toBe('error');
    expect(part?.type === 'error' ? part.error.status : 0).toBe(429);
  });
});
