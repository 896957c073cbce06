import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../../shared/src/core/json.ts';
import { createFeedbackRecorder, parseFeedbackBody } from '../../../shared/src/logging/record-feedback.ts';
import type { FeedbackEntry } from '../../../shared/src/ports/log-store.ts';

describe('parseFeedbackBody', () => {
  it('reads Portkey shapes: trace_id or traceID, weight default 1, metadata as object or JSON text, arrays', () => {
    expect(parseFeedbackBody({ trace_id: 't-1', value: 5 })).toEqual([{ traceId: 't-1', value: 5, weight: 1, metadata: {} }]);
    expect(parseFeedbackBody([{ traceID: 't-2', value: -1, weight: 0.5, metadata: '{"_user":"u1"}' }, { trace_id: 't-3', value: 0, metadata: { note: 'ok' } }])).toEqual([
      { traceId: 't-2', value: -1, weight: 0.5, metadata: { _user: 'u1' } },
      { traceId: 't-3', value: 0, weight: 1, metadata: { note: 'ok' } },
    ]);
  });

  it.each<[JsonValue, string]>([
    [{ value: 1 }, 'trace_id'],
    [{ trace_id: 'has space', value: 1 }, 'trace_id'],
    [{ trace_id: 't', value: 11 }, 'value'],
    [{ trace_id: 't', value: '5' }, 'value'],
    [{ trace_id: 't', value: 1, weight: 2 }, 'weight'],
    [{ trace_id: 't', value: 1, metadata: [1] }, 'metadata'],
    [[{ trace_id: 't', value: 1 }, { trace_id: 't' }], '[1].value'],
    [[], 'body'],
    ['text', 'body'],
  ])('refuses %j, naming %s', (body, param) => {
    expect(() => parseFeedbackBody(body)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_feedback', param }));
  });
});

describe('createFeedbackRecorder', () => {
  it('stores one entry per feedback with the retention and the caller, and returns the ids in order', async () => {
    const stored: FeedbackEntry[] = [];
    let id = 0;
    const recorder = createFeedbackRecorder({
      logs: { putFeedback: async (entry) => void stored.push(entry) },
      clock: { now: () => 1_700_000_000_000 },
      retentionDays: 2,
      newFeedbackId: () => `fb-${++id}`,
    });
    expect(await recorder.record([{ trace_id: 'a', value: 1 }, { trace_id: 'b', value: -2, weight: 0.25 }], { workspaceId: 'ws', apiKeyId: 'k' })).toEqual(['fb-1', 'fb-2']);
    expect(stored).toEqual([
      { feedbackId: 'fb-1', traceId: 'a', value: 1, weight: 1, metadata: {}, createdAt: 1_700_000_000_000, expiresAt: 1_700_000_000 + 2 * 86_400, workspaceId: 'ws', apiKeyId: 'k' },
      { feedbackId: 'fb-2', traceId: 'b', value: -2, weight: 0.25, metadata: {}, createdAt: 1_700_000_000_000, expiresAt: 1_700_000_000 + 2 * 86_400, workspaceId: 'ws', apiKeyId: 'k' },
    ]);
  });
});
