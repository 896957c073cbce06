import { streamChatCompletionChunks } from '../../../../shared/src/protocol/chat-chunk-stream.ts';
import type { SseEvent } from '../../../../shared/src/protocol/sse-event-source.ts';
import { createCohereStreamTransformer } from '../../../../shared/src/providers/cohere/cohere-stream-transformer.ts';
import { fixtureChunks } from '../../../support/mock-upstream.ts';

/** The event lines of a Cohere `*.chunks.txt` fixture. */
export function cohereChunks(name: string): string[] {
  return fixtureChunks(`cohere/${name}`);
}

function eventType(line: string): string {
  return (JSON.parse(line) as { type: string }).type;
}

/** Cohere's SSE framing for these event lines: `event: <type>` and `data: <line>`. */
export function cohereSse(lines: readonly string[]): string {
  return lines.map((line) => `event: ${eventType(line)}\ndata: ${line}\n\n`).join('');
}

/** The lines as parsed SSE events. */
export function cohereEvents(lines: readonly string[]): SseEvent[] {
  return lines.map((line) => ({ event: eventType(line), data: line, id: undefined }));
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield item;
}

export const STREAM_CONTEXT = { model: 'command-a-03-2025', created: 1_700_000_000, fallbackId: 'chatcmpl-fallback' };

/** Drive fixture lines through the transformer and the OpenAI SSE encoder; returns the `data:` payloads. */
export function replayCohereStream(lines: readonly string[], includeUsage = true): Promise<string[]> {
  return replayCohereEvents(cohereEvents(lines), includeUsage);
}

/** Drive SSE events through the transformer and the OpenAI SSE encoder; returns the `data:` payloads. */
export async function replayCohereEvents(events: readonly SseEvent[], includeUsage = true): Promise<string[]> {
  const { body } = streamChatCompletionChunks(fromArray(events), createCohereStreamTransformer(STREAM_CONTEXT), {
    provider: 'cohere',
    includeUsage,
  });
  const text = await new Response(body).text();
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => frame.replace(/^data: /, ''));
}

/** The text a caller reassembles from OpenAI chunk payloads. */
export function reassemble(payloads: readonly string[], field: 'content' | 'reasoning_content' = 'content'): string {
  return payloads
    .filter((payload) => payload.startsWith('{') && !payload.startsWith('{"error"'))
    .map((payload) => JSON.parse(payload) as { choices: Array<{ delta: Record<string, unknown> }> })
    .map((chunk) => chunk.choices[0]?.delta[field])
    .filter((text): text is string => typeof text === 'string')
    .join('');
}
