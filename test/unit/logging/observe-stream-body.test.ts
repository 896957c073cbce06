import { describe, expect, it } from 'vitest';
import { observeStreamBody } from '../../../shared/src/logging/observe-stream-body.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function source(parts: string[], onCancel?: (reason: unknown) => void): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const part = parts[index++];
        if (part === undefined) controller.close();
        else controller.enqueue(encoder.encode(part));
      },
      cancel: onCancel,
    },
    { highWaterMark: 0 },
  );
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += decoder.decode(chunk);
  return text;
}

describe('observeStreamBody', () => {
  it('passes every chunk through and captures up to the limit, marking the cut', async () => {
    let now = 100;
    const { body, observed } = observeStreamBody(source(['', 'data: a\n\n', 'data: bb\n\n', 'data: ccc\n\n']), 14, () => now++);
    expect(await readAll(body)).toBe('data: a\n\ndata: bb\n\ndata: ccc\n\n');
    const seen = await observed;
    expect(seen.firstChunkAt).toBe(100);
    expect(seen.body.totalBytes).toBe(30);
    expect(seen.body.truncated).toBe(true);
    expect(seen.body.chunks.map((chunk) => decoder.decode(chunk)).join('')).toBe('data: a\n\ndata:');
  });

  it('reads nothing ahead of the caller and passes a cancel on to the source', async () => {
    const pulled: string[] = [];
    let cancelled: unknown;
    const parts = ['one', 'two', 'three'];
    const tracked = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const part = parts.shift();
          if (part === undefined) return controller.close();
          pulled.push(part);
          controller.enqueue(encoder.encode(part));
        },
        cancel: (reason) => {
          cancelled = reason;
        },
      },
      { highWaterMark: 0 },
    );
    const { body, observed } = observeStreamBody(tracked, 0, () => 1);
    const reader = body.getReader();
    await reader.read();
    expect(pulled).toEqual(['one']);
    await reader.cancel('client left');
    expect(cancelled).toBe('client left');
    expect((await observed).body).toEqual({ kind: 'stream', chunks: [], totalBytes: 3, truncated: true });
  });

  it('settles when the source fails, and the failure reaches the caller', async () => {
    const failing = new ReadableStream<Uint8Array>({ pull: (controller) => controller.error(new Error('upstream broke')) });
    const { body, observed } = observeStreamBody(failing, 10, () => 1);
    await expect(readAll(body)).rejects.toThrow('upstream broke');
    expect((await observed).firstChunkAt).toBeUndefined();
  });
});
