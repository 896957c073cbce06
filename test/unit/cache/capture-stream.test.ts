import { describe, expect, it } from 'vitest';
import { captureStream } from '../../../shared/src/cache/capture-stream.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

function source(parts: string[]): { stream: ReadableStream<Uint8Array>; pulls: () => number; cancelled: () => unknown } {
  let pulls = 0;
  let cancelled: unknown;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        pulls++;
        const part = parts[index++];
        if (part === undefined) controller.close();
        else controller.enqueue(bytes(part));
      },
      cancel(reason) {
        cancelled = reason;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, pulls: () => pulls, cancelled: () => cancelled };
}

describe('captureStream', () => {
  it('passes every chunk on, keeps a copy, and says when the caller has read the end', async () => {
    const { stream } = source(['data: a\n\n', 'data: [DONE]\n\n']);
    const capture = captureStream(stream, 1000);
    expect(await new Response(capture.body).text()).toBe('data: a\n\ndata: [DONE]\n\n');
    expect(await capture.ended).toBe(true);
    expect(capture.captured()?.map((chunk) => new TextDecoder().decode(chunk))).toEqual(['data: a\n\n', 'data: [DONE]\n\n']);
    expect(capture.capturedBytes()).toBe(23);
  });

  it('reads the source only as fast as the caller reads', async () => {
    const { stream, pulls } = source(['1', '2', '3']);
    const reader = captureStream(stream, 1000).body.getReader();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pulls()).toBe(0);
    await reader.read();
    expect(pulls()).toBe(1);
  });

  it('drops the copy past the limit but still passes everything on', async () => {
    const { stream } = source(['12345', '67890']);
    const capture = captureStream(stream, 7);
    expect(await new Response(capture.body).text()).toBe('1234567890');
    expect(capture.captured()).toBeUndefined();
  });

  it('cancels the source when the caller cancels, and reports an incomplete end', async () => {
    const { stream, cancelled } = source(['1', '2']);
    const capture = captureStream(stream, 100);
    const reader = capture.body.getReader();
    await reader.read();
    await reader.cancel('gone');
    expect(cancelled()).toBe('gone');
    expect(await capture.ended).toBe(false);
  });
});
