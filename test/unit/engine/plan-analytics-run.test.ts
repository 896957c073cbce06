import { describe, expect, it } from 'vitest';
import { planAnalyticsRun } from '../../../shared/src/engine/plan-analytics-run.ts';

describe('planAnalyticsRun', () => {
  it('plans the window before the scheduled time of the event', () => {
    expect(planAnalyticsRun({ time: '2025-03-04T10:05:00Z', 'detail-type': 'Scheduled Event' }, 60)).toEqual({
      windowStart: '2025-03-04T09:00:00.000Z',
      windowEnd: '2025-03-04T10:00:00.000Z',
      windowMinutes: 60,
      scheduledAt: '2025-03-04T10:05:00.000Z',
      rollups: 'pending',
    });
  });

  it('falls back to now for a manual invoke without a usable time', () => {
    const now = new Date('2025-03-04T10:31:00Z');
    expect(planAnalyticsRun({}, 30, now).windowStart).toBe('2025-03-04T10:00:00.000Z');
    expect(planAnalyticsRun({ time: 'yesterday' }, 30, now).scheduledAt).toBe('2025-03-04T10:31:00.000Z');
  });
});
