import { describe, expect, it } from 'vitest';
import { runRollups } from '../../../shared/src/analytics/run-rollups.ts';
import type { RollupDimension } from '../../../shared/src/ports/rollup-store.ts';
import { KNOWN_DAY_ALL, KNOWN_HOUR_ROWS, KNOWN_REQUESTS, logEntry } from '../../support/log-entry-fixtures.ts';
import { memoryLogReader, memoryRollupStore } from '../../support/memory-analytics-stores.ts';

const at = (iso: string) => Date.parse(iso);
const entries = KNOWN_REQUESTS.map(logEntry);

function setup() {
  const logs = memoryLogReader(entries);
  const rollups = memoryRollupStore({ now: () => at('2025-03-04T02:00:00Z') });
  const run = (windowEnd: string, extra: Partial<Parameters<typeof runRollups>[0]> = {}) =>
    runRollups({ logs, rollups: rollups.store, windowEnd: at(windowEnd), now: at(windowEnd) + 5_000, ...extra });
  return { logs, rollups, run };
}

async function hourRows(rollups: ReturnType<typeof memoryRollupStore>, windowStart: number) {
  const result: Record<string, unknown> = {};
  for (const dimension of Object.keys(KNOWN_HOUR_ROWS) as RollupDimension[]) {
    result[dimension] = (await rollups.store.list('hour', windowStart, dimension)).map(({ key, metrics }) => ({ key, metrics }));
  }
  return result;
}

describe('runRollups', () => {
  it('rolls an hour up into exact figures per deployment, workspace, key, provider, model and cell', async () => {
    const { rollups, run, logs } = setup();
    const result = await run('2025-03-04T02:00:00Z');
    expect(result).toEqual({
      hours: ['2025-03-04T00:00:00.000Z', '2025-03-04T01:00:00.000Z'],
      days: [],
      rowsWritten: expect.any(Number),
      checkpoint: '2025-03-04T01:00:00.000Z',
      complete: true,
    });
    expect(await hourRows(rollups, at('2025-03-04T00:00:00Z'))).toEqual(KNOWN_HOUR_ROWS);
    expect((await rollups.store.list('hour', at('2025-03-04T01:00:00Z'), 'all'))[0]?.metrics).toMatchObject({ requests: 1, latencyP50Ms: 900 });
    // Analytics never needs the bodies.
    expect(logs.queries.every((query) => query.omitBodies === true && query.select.by === 'time')).toBe(true);
  });

  it('gives the same rows when run twice over the same window', async () => {
    const { rollups, run } = setup();
    await run('2025-03-04T02:00:00Z');
    const first = rollups.snapshot();
    const again = await run('2025-03-04T02:00:00Z');
    expect(again.hours).toEqual(['2025-03-04T01:00:00.000Z']);
    expect(rollups.snapshot()).toEqual(first);
  });

  it('resumes after a run that failed half-way and ends with the same rows as a clean run', async () => {
    const clean = setup();
    await clean.run('2025-03-04T02:00:00Z');
    const crashed = setup();
    crashed.rollups.failAfter(7);
    await expect(crashed.run('2025-03-04T02:00:00Z')).rejects.toThrow('the table went away');
    expect(await crashed.rollups.store.readCheckpoint('hourly')).toBeUndefined();
    crashed.rollups.heal();
    await crashed.run('2025-03-04T02:00:00Z');
    expect(crashed.rollups.snapshot()).toEqual(clean.rollups.snapshot());
    expect(await crashed.rollups.store.readCheckpoint('hourly')).toBe(at('2025-03-04T01:00:00Z'));
  });

  it('computes a day from its raw logs once its last hour has settled', async () => {
    const { rollups, run } = setup();
    const early = await run('2025-03-04T00:15:00Z');
    expect(early.days).toEqual([]);
    expect(early.checkpoint).toBe('2025-03-03T23:00:00.000Z');
    const settled = await run('2025-03-04T01:00:00Z');
    expect(settled.days).toEqual(['2025-03-03T00:00:00.000Z']);
    expect(settled.checkpoint).toBe('2025-03-04T00:00:00.000Z');
    expect(await rollups.store.list('day', at('2025-03-03T00:00:00Z'), 'all')).toEqual([
      { granularity: 'day', windowStart: at('2025-03-03T00:00:00Z'), dimension: 'all', key: '*', metrics: KNOWN_DAY_ALL },
    ]);
  });

  it('recomputes hours that were not final, and stops early when told, for the next run to carry on', async () => {
    const { run } = setup();
    await run('2025-03-04T01:00:00Z');
    let windows = 0;
    const stopped = await run('2025-03-04T04:00:00Z', { shouldStop: () => ++windows > 2 });
    expect(stopped).toMatchObject({ hours: ['2025-03-04T00:00:00.000Z', '2025-03-04T01:00:00.000Z'], complete: false, checkpoint: '2025-03-04T02:00:00.000Z' });
    const resumed = await run('2025-03-04T04:00:00Z');
    expect(resumed).toMatchObject({ hours: ['2025-03-04T02:00:00.000Z', '2025-03-04T03:00:00.000Z'], complete: true, checkpoint: '2025-03-04T03:00:00.000Z' });
  });

  it('backfills from a given time whatever the checkpoint, and never moves the checkpoint back', async () => {
    const { rollups, run } = setup();
    await run('2025-03-04T02:00:00Z');
    const backfill = await run('2025-03-04T02:00:00Z', { from: at('2025-03-03T22:00:00Z') });
    expect(backfill.hours[0]).toBe('2025-03-03T22:00:00.000Z');
    expect(backfill.days).toEqual(['2025-03-03T00:00:00.000Z']);
    expect(await rollups.store.readCheckpoint('hourly')).toBe(at('2025-03-04T01:00:00Z'));
  });
});
