import { describe, expect, it } from 'vitest';
import { readSseEvents } from '../../../shared/src/protocol/sse-event-source.ts';

function bytes(...parts: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(encoder.encode(part));
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array>) {
  const events = [];
  for await (const event of readSseEvents(body)) events.push({ event: event.event, data: event.data });
  return events;
}

describe('readSseEvents', () => {
  it('parses named and unnamed events split across chunks', async () => {
    const events = await collect(bytes('event: message_start\nda', 'ta: {"a":1}\n\n', 'data: two\n', '\n'));
    expect(events).toEqual([
      { event: 'message_start', data: '{"a":1}' },
      { event: undefined, data: 'two' },
    ]);
  });

  it('keeps a last event that has no closing blank line', async () => {
    expect(await collect(bytes('data: [DONE]\n'))).toEqual([{ event: undefined, data: '[DONE]' }]);
  });

  it('ignores comments (keep-alive pings)', async () => {
    expect(await collect(bytes(': ping\n\ndata: x\n\n'))).toEqual([{ event: undefined, data: 'x' }]);
  });

  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('data: x\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const _event of readSseEvents(body)) break;
    expect(cancelled).toBe(true);
  });
});
