import { fixtureChunks } from '../../../support/mock-upstream.ts';

/** Anthropic's SSE framing for stream event payloads: an `event:` line naming each payload's type. */
export function anthropicSse(payloads: readonly string[]): string {
  return payloads
    .map((payload) => `event: ${(JSON.parse(payload) as { type: string }).type}\ndata: ${payload}\n\n`)
    .join('');
}

/** An Anthropic `*.chunks.txt` fixture as the SSE bytes Anthropic sends. */
export function anthropicFixtureSse(name: string): string {
  return anthropicSse(fixtureChunks(`anthropic/${name}`));
}

/** The text an OpenAI chunk stream reassembles to, per field. */
export function reassemble(payloads: readonly string[]): { content: string; reasoning: string; toolArguments: string[] } {
  let content = '';
  let reasoning = '';
  const toolArguments: string[] = [];
  for (const payload of payloads) {
    if (payload === '[DONE]') continue;
    const chunk = JSON.parse(payload) as {
      choices?: Array<{ delta?: { content?: string; reasoning_content?: string; tool_calls?: Array<{ index: number; function?: { arguments?: string } }> } }>;
    };
    for (const choice of chunk.choices ?? []) {
      content += choice.delta?.content ?? '';
      reasoning += choice.delta?.reasoning_content ?? '';
      for (const call of choice.delta?.tool_calls ?? []) {
        toolArguments[call.index] = (toolArguments[call.index] ?? '') + (call.function?.arguments ?? '');
      }
    }
  }
  return { content, reasoning, toolArguments };
}

interface NativeBlock {
  type: string;
  text?: string;
  thinking?: string;
  id?: string;
  name?: string;
  input?: unknown;
  partial?: string;
}

interface NativeEvent {
  type: string;
  index: number;
  message: Record<string, unknown>;
  content_block: NativeBlock;
  delta: { type?: string; text?: string; thinking?: string; partial_json?: string; stop_reason?: string; stop_details?: unknown };
  usage?: object;
}

/**
 * The non-streamed Anthropic answer a stream fixture stands for, built from its own events, so
 * one fixture can be served both ways and the two OpenAI outputs compared.
 */
export function nativeMessageFromStream(payloads: readonly string[]): Record<string, unknown> {
  let message: Record<string, unknown> = {};
  const blocks: NativeBlock[] = [];
  for (const payload of payloads) {
    const event = JSON.parse(payload) as NativeEvent;
    if (event.type === 'message_start') message = { ...event.message };
    if (event.type === 'content_block_start') blocks[event.index] = { ...event.content_block };
    if (event.type === 'content_block_delta') {
      const block = blocks[event.index] as NativeBlock;
      if (event.delta.type === 'text_delta') block.text = (block.text ?? '') + event.delta.text;
      if (event.delta.type === 'thinking_delta') block.thinking = (block.thinking ?? '') + event.delta.thinking;
      if (event.delta.type === 'input_json_delta') block.partial = (block.partial ?? '') + event.delta.partial_json;
    }
    if (event.type === 'message_delta') {
      message.stop_reason = event.delta.stop_reason;
      message.stop_details = event.delta.stop_details;
      message.usage = { ...(message.usage as object), ...event.usage };
    }
  }
  message.content = blocks.map(({ partial, ...block }) => (partial ? { ...block, input: JSON.parse(partial) } : block));
  return message;
}
