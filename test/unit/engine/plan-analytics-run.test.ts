import { describe, expect, it } from 'vitest';
import { planAnalyticsRun, runScheduledAnalytics } from '../../../shared/src/engine/plan-analytics-run.ts';
import { KNOWN_REQUESTS, logEntry } from '../../support/log-entry-fixtures.ts';
import { memoryLogReader, memoryRollupStore } from '../../support/memory-analytics-stores.ts';

describe('planAnalyticsRun', () => {
  it('plans the window before the scheduled time of the event', () => {
    expect(planAnalyticsRun({ time: '2025-03-04T10:05:00Z', 'detail-type': 'Scheduled Event' }, 60)).toEqual({
      windowStart: '2025-03-04T09:00:00.000Z',
      windowEnd: '2025-03-04T10:00:00.000Z',
      windowMinutes: 60,
      scheduledAt: '2025-03-04T10:05:00.000Z',
    });
  });

  it('falls back to now for a manual invoke without a usable time', () => {
    const now = new Date('2025-03-04T10:31:00Z');
    expect(planAnalyticsRun({}, 30, now).windowStart).toBe('2025-03-04T10:00:00.000Z');
    expect(planAnalyticsRun({ time: 'yesterday' }, 30, now).scheduledAt).toBe('2025-03-04T10:31:00.000Z');
  });
});

describe('runScheduledAnalytics', () => {
  it('rolls up the window of the event and stops before the deadline', async () => {
    const rollups = memoryRollupStore();
    const stores = { logs: memoryLogReader(KNOWN_REQUESTS.map(logEntry)), rollups: rollups.store, clock: { now: () => Date.parse('2025-03-04T02:07:00Z') } };
    const report = await runScheduledAnalytics({ time: '2025-03-04T02:05:00Z' }, stores, { windowMinutes: 60 });
    expect(report).toMatchObject({
      windowStart: '2025-03-04T01:00:00.000Z',
      windowEnd: '2025-03-04T02:00:00.000Z',
      rollups: { hours: ['2025-03-04T00:00:00.000Z', '2025-03-04T01:00:00.000Z'], checkpoint: '2025-03-04T01:00:00.000Z', complete: true },
    });
    const late = await runScheduledAnalytics({ time: '2025-03-04T03:05:00Z' }, stores, { windowMinutes: 60, remainingMs: () => 10_000 });
    expect(late.rollups).toMatchObject({ hours: [], complete: false });
  });
});
