import type { ChatCompletionChunk, ChatFinishReason } from '../../core/chat-types.ts';
import type { ChatStreamPart, ChatStreamTransformer } from '../../protocol/chat-chunk-stream.ts';
import type { SseEvent } from '../../protocol/sse-event-source.ts';
import type { CohereStreamEvent } from './cohere-api-types.ts';
import { isCohereFailure, mapCohereFinishReason } from './map-cohere-finish-reason.ts';
import { toOpenAIUsage, usageFromCohere } from './map-cohere-usage.ts';
import { cohereGenerationError } from './read-cohere-error.ts';
import { StreamedToolArguments } from './streamed-tool-arguments.ts';

export interface CohereStreamContext {
  /** The model the caller asked for: Cohere's events do not name it. */
  model: string;
  /** Unix seconds, the same on every chunk. */
  created: number;
  /** The chunk id until message-start gives Cohere's own. */
  fallbackId: string;
}

type Delta = ChatCompletionChunk['choices'][number]['delta'];

interface OpenToolCall {
  index: number;
  arguments: StreamedToolArguments;
  ended: boolean;
}

/**
 * Map Cohere v2 chat stream events (https://docs.cohere.com/docs/streaming) to OpenAI chunks:
 * text and tool-plan deltas become `content`, thinking deltas `reasoning_content`, tool-call
 * events `tool_calls` deltas; message-end gives the finish chunk, the usage and the end
 * marker, or an error when Cohere ended the generation with ERROR or TIMEOUT. Citation and
 * unknown events carry nothing OpenAI chunks can hold and are skipped.
 */
export function createCohereStreamTransformer(context: CohereStreamContext): ChatStreamTransformer<SseEvent> {
  let id = context.fallbackId;
  let roleSent = false;
  let ended = false;
  const contentKinds = new Map<number, string>();
  const toolCalls = new Map<number, OpenToolCall>();

  const chunk = (delta: Delta, finishReason: ChatFinishReason | null = null): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });

  /** A chunk for this delta; the first one of the answer also carries the role. */
  const deltaPart = (delta: Delta): ChatStreamPart => {
    if (roleSent) return { type: 'chunk', chunk: chunk(delta) };
    roleSent = true;
    return { type: 'chunk', chunk: chunk({ role: 'assistant', ...delta }) };
  };

  const textPart = (text: string | undefined, field: 'content' | 'reasoning_content'): ChatStreamPart[] =>
    text === undefined || text === '' ? [] : [deltaPart({ [field]: text })];

  const argumentsPart = (call: OpenToolCall, text: string): ChatStreamPart[] =>
    text === '' ? [] : [deltaPart({ tool_calls: [{ index: call.index, function: { arguments: text } }] })];

  const endToolCall = (call: OpenToolCall): ChatStreamPart[] => {
    if (call.ended) return [];
    call.ended = true;
    return argumentsPart(call, call.arguments.end());
  };

  const content = (event: CohereStreamEvent, index: number): ChatStreamPart[] => {
    const block = event.delta?.message?.content;
    if (block?.type !== undefined) contentKinds.set(index, block.type);
    if (typeof block?.thinking === 'string' || contentKinds.get(index) === 'thinking') {
      return textPart(block?.thinking, 'reasoning_content');
    }
    return textPart(block?.text, 'content');
  };

  const startToolCall = (event: CohereStreamEvent, index: number): ChatStreamPart[] => {
    const call: OpenToolCall = { index: toolCalls.size, arguments: new StreamedToolArguments(), ended: false };
    toolCalls.set(index, call);
    const started = event.delta?.message?.tool_calls;
    const first = call.arguments.append(started?.function?.arguments ?? '');
    return [
      deltaPart({
        tool_calls: [
          {
            index: call.index,
            id: started?.id ?? `call_${call.index}`,
            type: 'function',
            function: { name: started?.function?.name ?? '', arguments: first },
          },
        ],
      }),
    ];
  };

  const finish = (event: CohereStreamEvent): ChatStreamPart[] => {
    ended = true;
    const raw = event.delta?.finish_reason;
    const error = event.delta?.error;
    if (isCohereFailure(raw) || (typeof error === 'string' && error !== '')) {
      return [{ type: 'error', error: cohereGenerationError(raw, error) }];
    }
    const parts = [...toolCalls.values()].flatMap(endToolCall);
    parts.push({ type: 'chunk', chunk: chunk({}, mapCohereFinishReason(raw).unified) });
    const usage = usageFromCohere(event.delta?.usage);
    if (usage !== undefined) {
      parts.push({ type: 'usage', usage, chunk: { ...chunk({}), choices: [], usage: toOpenAIUsage(usage) } });
    }
    parts.push({ type: 'finish' });
    return parts;
  };

  return {
    transform(sse) {
      if (ended) return [];
      const event = JSON.parse(sse.data) as CohereStreamEvent;
      const index = typeof event.index === 'number' ? event.index : 0;
      switch (event.type ?? sse.event) {
        case 'message-start':
          if (typeof event.id === 'string' && event.id !== '') id = event.id;
          return [deltaPart({ content: '' })];
        case 'content-start':
        case 'content-delta':
          return content(event, index);
        case 'tool-plan-delta':
          return textPart(event.delta?.message?.tool_plan, 'content');
        case 'tool-call-start':
          return startToolCall(event, index);
        case 'tool-call-delta': {
          const call = toolCalls.get(index);
          return call === undefined ? [] : argumentsPart(call, call.arguments.append(event.delta?.message?.tool_calls?.function?.arguments ?? ''));
        }
        case 'tool-call-end': {
          const call = toolCalls.get(index);
          return call === undefined ? [] : endToolCall(call);
        }
        case 'message-end':
          return finish(event);
        default:
          // content-end, citation-start, citation-end, debug and any future event type.
          return [];
      }
    },
  };
}
