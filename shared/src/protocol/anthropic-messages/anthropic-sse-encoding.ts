import type { AnthropicStreamEvent } from './anthropic-messages-types.ts';

const encoder = new TextEncoder();

/** One Anthropic SSE event: the event name is the payload's `type`, as Anthropic's API sends it. */
export function encodeAnthropicSseEvent(event: AnthropicStreamEvent): Uint8Array {
  return encoder.encode(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}
