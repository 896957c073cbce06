import type { ChatCompletionChunk } from '../../core/chat-types.ts';
import { BadGatewayError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonValue } from '../../core/json.ts';
import type { ChatStreamPart, ChatStreamTransformer } from '../../protocol/chat-chunk-stream.ts';
import type { SseEvent } from '../../protocol/sse-event-source.ts';
import type { AnthropicResponseBlock, AnthropicStopDetails, AnthropicStreamEvent, AnthropicUsage } from './anthropic-api-types.ts';
import { anthropicStreamError } from './anthropic-upstream-error.ts';
import { mapAnthropicFinishReason } from './map-anthropic-finish-reason.ts';
import { refusalText, type AnthropicAnswerContext } from './map-anthropic-response.ts';
import { mapAnthropicUsage, mergeAnthropicUsage } from './map-anthropic-usage.ts';

type Delta = ChatCompletionChunk['choices'][number]['delta'];

/** What one open content block turns into on the OpenAI side. */
type OpenBlock =
  | { kind: 'text' | 'thinking' | 'ignored' }
  | { kind: 'tool'; toolIndex: number; input: JsonValue | undefined; argumentsSent: boolean }
  | { kind: 'json'; input: JsonValue | undefined; argumentsSent: boolean };

function parseEvent(event: SseEvent): AnthropicStreamEvent | undefined {
  if (event.data.trim() === '') return undefined;
  const parsed: unknown = JSON.parse(event.data);
  if (!isJsonObject(parsed)) throw new Error('An Anthropic stream event is not a JSON object.');
  // The `event:` line and the payload's `type` agree; the payload is the one always present.
  if (typeof parsed.type !== 'string') parsed.type = event.event ?? '';
  return parsed as unknown as AnthropicStreamEvent;
}

/**
 * Map Anthropic's stream events (https://docs.anthropic.com/en/docs/build-with-claude/streaming)
 * to OpenAI chunks, every one with the message id, `created` and model of `message_start`.
 *
 * Odd-but-real streams: a repeated `message_start` with the id of the open message is
 * ignored; one with another id means two answers were spliced into one stream, and since
 * the first's chunks are already with the caller, the stream ends with an error rather
 * than mixing them. Unknown event and block types are skipped.
 */
export function createAnthropicStreamTransformer(context: AnthropicAnswerContext): ChatStreamTransformer<SseEvent> {
  let messageId: string | undefined;
  let model = '';
  let usage: AnthropicUsage = {};
  let stopReason: string | null | undefined;
  let stopDetails: AnthropicStopDetails | null | undefined;
  let finished = false;
  let nextToolIndex = 0;
  let jsonToolCalled = false;
  const blocks = new Map<number, OpenBlock>();

  const chunk = (delta: Delta, finishReason: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatStreamPart => ({
    type: 'chunk',
    chunk: {
      id: messageId ?? '',
      object: 'chat.completion.chunk',
      created: context.created,
      model,
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    },
  });

  const toolArguments = (block: OpenBlock, text: string): ChatStreamPart[] => {
    if (text === '') return [];
    if (block.kind === 'json') {
      block.argumentsSent = true;
      return [chunk({ content: text })];
    }
    if (block.kind === 'tool') {
      block.argumentsSent = true;
      return [chunk({ tool_calls: [{ index: block.toolIndex, function: { arguments: text } }] })];
    }
    return [];
  };

  const startMessage = (event: Extract<AnthropicStreamEvent, { type: 'message_start' }>): ChatStreamPart[] => {
    const id = event.message?.id ?? '';
    if (messageId !== undefined) {
      if (id === messageId) return [];
      return [
        {
          type: 'error',
          error: new BadGatewayError(
            `anthropic started a second message (${id}) inside the stream of ${messageId}.`,
            'invalid_upstream_response',
          ),
        },
      ];
    }
    messageId = id;
    model = event.message?.model ?? '';
    usage = event.message?.usage ?? {};
    return [chunk({ role: 'assistant', content: '' })];
  };

  const startBlock = (index: number, block: AnthropicResponseBlock | undefined): ChatStreamPart[] => {
    switch (block?.type) {
      case 'text':
        blocks.set(index, { kind: 'text' });
        return block.text ? [chunk({ content: block.text })] : [];
      case 'thinking':
        blocks.set(index, { kind: 'thinking' });
        return block.thinking ? [chunk({ reasoning_content: block.thinking })] : [];
      case 'tool_use': {
        if (context.jsonToolName !== undefined && block.name === context.jsonToolName) {
          jsonToolCalled = true;
          blocks.set(index, { kind: 'json', input: block.input, argumentsSent: false });
          return [];
        }
        const toolIndex = nextToolIndex++;
        blocks.set(index, { kind: 'tool', toolIndex, input: block.input, argumentsSent: false });
        return [
          chunk({ tool_calls: [{ index: toolIndex, id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: '' } }] }),
        ];
      }
      default:
        blocks.set(index, { kind: 'ignored' });
        return [];
    }
  };

  const blockDelta = (event: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>): ChatStreamPart[] => {
    const block = blocks.get(event.index);
    if (block === undefined) return [];
    const delta = event.delta;
    if (delta?.type === 'text_delta' && block.kind === 'text' && delta.text) return [chunk({ content: delta.text })];
    if (delta?.type === 'thinking_delta' && block.kind === 'thinking' && delta.thinking) {
      return [chunk({ reasoning_content: delta.thinking })];
    }
    if (delta?.type === 'input_json_delta') return toolArguments(block, delta.partial_json ?? '');
    // signature_delta and citations_delta have no OpenAI form.
    return [];
  };

  const stopBlock = (index: number): ChatStreamPart[] => {
    const block = blocks.get(index);
    blocks.delete(index);
    // A tool called without arguments streams none; `{}` keeps the streamed arguments
    // equal to the non-streamed ones.
    if ((block?.kind === 'tool' || block?.kind === 'json') && !block.argumentsSent) {
      return toolArguments(block, JSON.stringify(block.input ?? {}));
    }
    return [];
  };

  const finish = (): ChatStreamPart[] => {
    if (finished) return [];
    finished = true;
    const parts: ChatStreamPart[] = [];
    const refusal = refusalText(stopReason, stopDetails?.explanation);
    if (refusal !== null) parts.push(chunk({ refusal }));
    const finishReason = mapAnthropicFinishReason(stopReason, jsonToolCalled && nextToolIndex === 0);
    parts.push(chunk({}, finishReason.unified));
    const mapped = mapAnthropicUsage(usage);
    parts.push({
      type: 'usage',
      usage: mapped.usage,
      chunk: { id: messageId ?? '', object: 'chat.completion.chunk', created: context.created, model, choices: [], usage: mapped.openai },
    });
    parts.push({ type: 'finish' });
    return parts;
  };

  return {
    transform(sse) {
      const event = parseEvent(sse);
      if (event === undefined) return [];
      if (event.type === 'ping') return [];
      if (event.type === 'error') return [{ type: 'error', error: anthropicStreamError(event.error) }];
      if (event.type === 'message_start') return startMessage(event);
      const known = ['content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'];
      if (!known.includes(event.type)) return [];
      if (messageId === undefined) throw new Error(`anthropic sent ${event.type} before message_start.`);
      switch (event.type) {
        case 'content_block_start':
          return startBlock(event.index, event.content_block);
        case 'content_block_delta':
          return blockDelta(event);
        case 'content_block_stop':
          return stopBlock(event.index);
        case 'message_delta':
          stopReason = event.delta?.stop_reason ?? stopReason;
          stopDetails = event.delta?.stop_details ?? stopDetails;
          usage = mergeAnthropicUsage(usage, event.usage);
          return [];
        case 'message_stop':
          return finish();
      }
    },
  };
}
