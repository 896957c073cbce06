import type { ChatCompletionChunk } from '../../core/chat-types.ts';
import { usageFromOpenAI, type Usage } from '../../core/usage.ts';
import type { AnthropicContentBlock, AnthropicContentDelta, AnthropicStopReason, AnthropicStreamEvent } from './anthropic-messages-types.ts';
import { anthropicUsage } from './anthropic-usage.ts';
import { anthropicMessageId } from './convert-chat-completion.ts';
import { anthropicStopReason } from './map-stop-reason.ts';

type ChunkDelta = ChatCompletionChunk['choices'][number]['delta'];

/** The content block being written: Anthropic streams blocks one after another, never interleaved. */
interface OpenBlock {
  index: number;
  kind: AnthropicContentBlock['type'];
}

export interface AnthropicStreamBuilderOptions {
  /** Used only when the stream ends before any chunk said which model answered. */
  model: string;
  /** Used only when the stream ends before any chunk carried an id. */
  fallbackMessageId: string;
}

/**
 * Turns OpenAI chat chunks, in order, into Anthropic stream events: message_start on the
 * first chunk; a content block per run of reasoning (thinking), text, or one tool call, each
 * started, filled with deltas and stopped before the next one starts; then, at the end,
 * message_delta (stop reason and usage) and message_stop. Only choice 0 is read.
 * Message_start carries zero usage (nothing is known yet); the final counts travel in
 * message_delta, which Anthropic's SDKs read as whole-message totals.
 */
export class AnthropicStreamBuilder {
  private started = false;
  private nextIndex = 0;
  private open: OpenBlock | undefined;
  /** Block index of each tool call, by the tool call's OpenAI index. */
  private readonly toolBlocks = new Map<number, number>();
  private stopReason: AnthropicStopReason | undefined;
  private messageId: string;
  /** Usage read from the chunks themselves (the usage chunk, or providers that put it on the last chunk). */
  chunkUsage: Usage | undefined;

  constructor(private readonly options: AnthropicStreamBuilderOptions) {
    this.messageId = options.fallbackMessageId;
  }

  /** The events for one chunk. */
  push(chunk: ChatCompletionChunk): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (!this.started) events.push(this.start(chunk.id, chunk.model));
    const usage = chunk.usage === null || chunk.usage === undefined ? undefined : usageFromOpenAI(chunk.usage);
    if (usage !== undefined) this.chunkUsage = usage;
    const choice = Array.isArray(chunk.choices) ? chunk.choices.find((candidate) => candidate.index === 0) : undefined;
    if (choice === undefined) return events;
    this.pushDelta(choice.delta ?? {}, events);
    if (typeof choice.finish_reason === 'string') this.stopReason = anthropicStopReason(choice.finish_reason);
    return events;
  }

  /** The closing events, once the chat stream has ended cleanly; `usage` wins over chunk usage. */
  finish(usage: Usage | undefined): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (!this.started) events.push(this.start(undefined, undefined));
    this.closeBlock(events);
    events.push(
      {
        type: 'message_delta',
        delta: { stop_reason: this.stopReason ?? 'end_turn', stop_sequence: null },
        usage: anthropicUsage(usage ?? this.chunkUsage),
      },
      { type: 'message_stop' },
    );
    return events;
  }

  private start(chatId: string | undefined, model: string | undefined): AnthropicStreamEvent {
    this.started = true;
    if (typeof chatId === 'string' && chatId !== '') this.messageId = anthropicMessageId(chatId);
    return {
      type: 'message_start',
      message: {
        id: this.messageId,
        type: 'message',
        role: 'assistant',
        model: typeof model === 'string' && model !== '' ? model : this.options.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: anthropicUsage(undefined),
      },
    };
  }

  private pushDelta(delta: ChunkDelta, events: AnthropicStreamEvent[]): void {
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
      const index = this.ensureBlock('thinking', events);
      events.push(this.blockDelta(index, { type: 'thinking_delta', thinking: delta.reasoning_content }));
    }
    const text = typeof delta.content === 'string' && delta.content !== '' ? delta.content : delta.refusal;
    if (typeof text === 'string' && text !== '') {
      const index = this.ensureBlock('text', events);
      events.push(this.blockDelta(index, { type: 'text_delta', text }));
    }
    for (const call of Array.isArray(delta.tool_calls) ? delta.tool_calls : []) {
      const toolIndex = typeof call.index === 'number' ? call.index : 0;
      let index = this.toolBlocks.get(toolIndex);
      if (index === undefined) {
        index = this.openBlock({ type: 'tool_use', id: call.id ?? `toolu_${this.messageId}_${toolIndex}`, name: call.function?.name ?? '', input: {} }, events);
        this.toolBlocks.set(toolIndex, index);
      }
      const partial = call.function?.arguments;
      // OpenAI sends each tool call's arguments in order; a late fragment of an earlier call
      // still goes to that call's block so no argument text is lost.
      if (typeof partial === 'string' && partial !== '') events.push(this.blockDelta(index, { type: 'input_json_delta', partial_json: partial }));
    }
  }

  private blockDelta(index: number, delta: AnthropicContentDelta): AnthropicStreamEvent {
    return { type: 'content_block_delta', index, delta };
  }

  /** The index of the open text or thinking block, opening one when another kind is open. */
  private ensureBlock(kind: 'text' | 'thinking', events: AnthropicStreamEvent[]): number {
    if (this.open?.kind === kind) return this.open.index;
    const block: AnthropicContentBlock = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    return this.openBlock(block, events);
  }

  private openBlock(block: AnthropicContentBlock, events: AnthropicStreamEvent[]): number {
    this.closeBlock(events);
    const index = this.nextIndex++;
    this.open = { index, kind: block.type };
    events.push({ type: 'content_block_start', index, content_block: block });
    return index;
  }

  private closeBlock(events: AnthropicStreamEvent[]): void {
    if (this.open === undefined) return;
    events.push({ type: 'content_block_stop', index: this.open.index });
    this.open = undefined;
  }
}
