import { describe, expect, it } from 'vitest';
import type { ChatStreamPart } from '../../../../shared/src/protocol/chat-chunk-stream.ts';
import type { ConverseStreamOutput } from '../../../../shared/src/providers/bedrock/bedrock-api-types.ts';
import { createBedrockStreamTransformer } from '../../../../shared/src/providers/bedrock/bedrock-stream-transformer.ts';
import { fixtureChunks } from '../../../support/mock-upstream.ts';

const context = { id: 'chatcmpl-req-1', created: 1_750_000_000, model: 'anthropic.claude-3-5-sonnet-20241022-v2:0', jsonMode: false };

function run(fixture: string, jsonMode = false): ChatStreamPart[] {
  const transformer = createBedrockStreamTransformer({ ...context, jsonMode });
  const parts = fixtureChunks(`bedrock/${fixture}`).flatMap((line) => transformer.transform(JSON.parse(line) as ConverseStreamOutput));
  return [...parts, ...(transformer.flush?.() ?? [])];
}

/** One line per part: the chunk's delta and finish reason, usage, or the error. */
function render(parts: ChatStreamPart[]): string[] {
  return parts.map((part) => {
    switch (part.type) {
      case 'chunk': {
        const choice = part.chunk.choices[0];
        return `chunk ${JSON.stringify(choice?.delta)} ${String(choice?.finish_reason)}`;
      }
      case 'usage':
        return `usage ${JSON.stringify(part.chunk.usage)}`;
      case 'finish':
        return 'finish';
      case 'error':
        return `error ${part.error.status} ${part.error.code} ${part.error.message}`;
    }
  });
}

describe('createBedrockStreamTransformer', () => {
  it('streams text with one stable id, created and model, then finish, then usage', () => {
    const parts = run('amazon-bedrock-text.chunks.txt');
    expect(render(parts)).toMatchInlineSnapshot(`
      [
        "chunk {"role":"assistant","content":""} null",
        "chunk {"content":"Let"} null",
        "chunk {"content":" me count the \\""} null",
        "chunk {"content":"r\\"s in \\""} null",
        "chunk {"content":"strawberry\\":\\n\\ns-t-"} null",
        "chunk {"content":"**"} null",
        "chunk {"content":"r**-a-w-b"} null",
        "chunk {"content":"-e-**"} null",
        "chunk {"content":"r**-**"} null",
        "chunk {"content":"r**-y\\n\\nThere"} null",
        "chunk {"content":" are **3"} null",
        "chunk {"content":"** r"} null",
        "chunk {"content":"'s in \\"strawberry.\\""} null",
        "chunk {} stop",
        "finish",
        "usage {"prompt_tokens":22,"completion_tokens":55,"total_tokens":77}",
      ]
    `);
    const chunks = parts.flatMap((part) => (part.type === 'chunk' || part.type === 'usage' ? [part.chunk] : []));
    expect(new Set(chunks.map((chunk) => `${chunk.id} ${chunk.created} ${chunk.model}`))).toEqual(
      new Set([`chatcmpl-req-1 1750000000 ${context.model}`]),
    );
    expect(chunks[0]).toEqual({
      id: 'chatcmpl-req-1',
      object: 'chat.completion.chunk',
      created: 1_750_000_000,
      model: context.model,
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }],
    });
  });

  it('streams a tool call: id and name first, then argument pieces (usage before messageStop is fine)', () => {
    expect(render(run('amazon-bedrock-tool-call.1.chunks.txt'))).toMatchInlineSnapshot(`
      [
        "chunk {"role":"assistant","tool_calls":[{"index":0,"id":"tool-use-id","type":"function","function":{"name":"test-tool","arguments":""}}]} null",
        "chunk {"tool_calls":[{"index":0,"function":{"arguments":"{\\"value\\":"}}]} null",
        "chunk {"tool_calls":[{"index":0,"function":{"arguments":"\\"Sparkle Day\\"}"}}]} null",
        "usage {"prompt_tokens":125,"completion_tokens":45,"total_tokens":170}",
        "chunk {} tool_calls",
        "finish",
      ]
    `);
  });

  it('sends {} as the arguments of a tool called without any, after the text block', () => {
    expect(render(run('amazon-bedrock-tool-no-args.chunks.txt'))).toMatchInlineSnapshot(`
      [
        "chunk {"role":"assistant","content":"I'll update the issue list for you."} null",
        "chunk {"tool_calls":[{"index":0,"id":"tool-use-id","type":"function","function":{"name":"updateIssueList","arguments":""}}]} null",
        "chunk {"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]} null",
        "usage {"prompt_tokens":100,"completion_tokens":25,"total_tokens":125}",
        "chunk {} tool_calls",
        "finish",
      ]
    `);
  });

  it('streams reasoning as reasoning_content and drops signatures', () => {
    expect(render(run('amazon-bedrock-reasoning.chunks.txt'))).toMatchInlineSnapshot(`
      [
        "chunk {"role":"assistant","content":""} null",
        "chunk {"reasoning_content":"Let me count the r"} null",
        "chunk {"reasoning_content":"'s in \\""} null",
        "chunk {"reasoning_content":"strawberry\\":"} null",
        "chunk {"reasoning_content":"\\n\\ns-t-r-a"} null",
        "chunk {"reasoning_content":"-w-b-e-r"} null",
        "chunk {"reasoning_content":"-r-y\\n\\nr"} null",
        "chunk {"reasoning_content":" appears at positions "} null",
        "chunk {"reasoning_content":"3, 8"} null",
        "chunk {"reasoning_content":", and 9.\\n\\nSo there"} null",
        "chunk {"reasoning_content":" are 3 r's."} null",
        "chunk {"content":"There"} null",
        "chunk {"content":" are **3** r's in \\""} null",
        "chunk {"content":"strawberry\\":"} null",
        "chunk {"content":"\\n\\n1"} null",
        "chunk {"content":". st"} null",
        "chunk {"content":"**"} null",
        "chunk {"content":"r**awbe"} null",
        "chunk {"content":"**r****"} null",
        "chunk {"content":"r**y"} null",
        "chunk {} stop",
        "finish",
        "usage {"prompt_tokens":51,"completion_tokens":94,"total_tokens":145}",
      ]
    `);
  });

  it('in JSON mode streams the json tool input as content and drops the text before it', () => {
    expect(render(run('amazon-bedrock-json-only-text-first.1.chunks.txt', true))).toMatchInlineSnapshot(`
      [
        "chunk {"role":"assistant","content":"{\\"name\\":\\"John\\"}"} null",
        "usage {"prompt_tokens":100,"completion_tokens":20,"total_tokens":120}",
        "chunk {} stop",
        "finish",
      ]
    `);
  });

  it('in JSON mode keeps the caller\'s tool calls and numbers them from 0', () => {
    expect(render(run('amazon-bedrock-json-with-tools.1.chunks.txt', true))).toMatchInlineSnapshot(`
      [
        "chunk {"role":"assistant","tool_calls":[{"index":0,"id":"tool-1","type":"function","function":{"name":"tool-a","arguments":""}}]} null",
        "chunk {"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\":\\"1\\"}"}}]} null",
        "chunk {"tool_calls":[{"index":1,"id":"tool-2","type":"function","function":{"name":"tool-b","arguments":""}}]} null",
        "chunk {"tool_calls":[{"index":1,"function":{"arguments":"{\\"b\\":\\"2\\"}"}}]} null",
        "chunk {"content":"{\\"final\\":\\"result\\"}"} null",
        "chunk {} tool_calls",
        "finish",
      ]
    `);
  });

  it('in JSON mode sends held-back text after the caller\'s tool calls when the model called no json tool', () => {
    expect(render(run('amazon-bedrock-json-tool-text-then-weather-then-json.1.chunks.txt', true))).toMatchInlineSnapshot(`
      [
        "chunk {"role":"assistant","tool_calls":[{"index":0,"id":"weather-tool-1","type":"function","function":{"name":"weather","arguments":""}}]} null",
        "chunk {"tool_calls":[{"index":0,"function":{"arguments":"{\\"location\\":"}}]} null",
        "chunk {"tool_calls":[{"index":0,"function":{"arguments":"\\"San Francisco\\"}"}}]} null",
        "chunk {"tool_calls":[{"index":1,"id":"weather-tool-2","type":"function","function":{"name":"weather","arguments":""}}]} null",
        "chunk {"tool_calls":[{"index":1,"function":{"arguments":"{\\"location\\":\\"London\\"}"}}]} null",
        "usage {"prompt_tokens":500,"completion_tokens":100,"total_tokens":600}",
        "chunk {"content":"2 + 2 equals 4. Now let me check the weather for you."} null",
        "chunk {} tool_calls",
        "finish",
      ]
    `);
  });

  it('in JSON mode sends held-back text at the end when no json tool came', () => {
    expect(render(run('amazon-bedrock-text.chunks.txt', true))).toEqual([
      'chunk {"role":"assistant","content":""} null',
      'chunk {"content":"Let me count the \\"r\\"s in \\"strawberry\\":\\n\\ns-t-**r**-a-w-b-e-**r**-**r**-y\\n\\nThere are **3** r\'s in \\"strawberry.\\""} null',
      'chunk {} stop',
      'finish',
      'usage {"prompt_tokens":22,"completion_tokens":55,"total_tokens":77}',
    ]);
  });

  it('turns an exception event into an error part with Bedrock\'s message', () => {
    expect(render(run('written/text-then-model-stream-error.chunks.txt'))).toEqual([
      'chunk {"role":"assistant","content":""} null',
      'chunk {"content":"Let me count"} null',
      'error 424 ModelStreamErrorException Model stream error: the model stopped responding.',
    ]);
  });

  it('ignores event types it does not know', () => {
    const transformer = createBedrockStreamTransformer(context);
    expect(transformer.transform({ $unknown: ['futureEvent', { x: 1 }] } as ConverseStreamOutput)).toEqual([]);
  });
});
