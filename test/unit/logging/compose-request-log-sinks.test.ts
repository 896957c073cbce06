import { describe, expect, it } from 'vitest';
import { composeRequestLogSinks } from '../../../shared/src/logging/compose-request-log-sinks.ts';
import type { RequestLogSink, RequestRecord } from '../../../shared/src/ports/request-log-sink.ts';

describe('composeRequestLogSinks', () => {
  it('gives every sink the record even when one throws, flushes those that can, and captures the most any wants', async () => {
    const seen: string[] = [];
    let flushed = 0;
    const throwing: RequestLogSink = { write: () => { throw new Error('broken'); }, streamCaptureBytes: 10 };
    const capturing: RequestLogSink = { write: (record) => void seen.push(record.traceId), streamCaptureBytes: 50, flush: async () => void flushed++ };
    const plain: RequestLogSink = { write: (record) => void seen.push(`plain:${record.traceId}`) };
    const composed = composeRequestLogSinks([throwing, capturing, plain]);
    composed.write({ traceId: 't' } as RequestRecord);
    await composed.flush?.();
    expect(seen).toEqual(['t', 'plain:t']);
    expect(flushed).toBe(1);
    expect(composed.streamCaptureBytes).toBe(50);
    expect(composeRequestLogSinks([plain]).streamCaptureBytes).toBeUndefined();
  });
});
