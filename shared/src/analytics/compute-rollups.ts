import type { LogStore } from '../ports/log-store.ts';
import type { RollupDimension, RollupGranularity, RollupRow } from '../ports/rollup-store.ts';
import { RollupAccumulator } from './rollup-accumulator.ts';
import { type LogFacts, readLogFacts } from './read-log-facts.ts';

const PAGE_SIZE = 1000;

/** The groups one request counts in: the deployment, each of its dimensions it has, and its cell. */
export function rollupGroupsOf(facts: LogFacts): Array<[RollupDimension, string]> {
  const groups: Array<[RollupDimension, string]> = [['all', '*']];
  if (facts.workspaceId !== undefined) groups.push(['workspace', facts.workspaceId]);
  if (facts.apiKeyId !== undefined) groups.push(['api-key', facts.apiKeyId]);
  if (facts.provider !== undefined) groups.push(['provider', facts.provider]);
  if (facts.model !== undefined) groups.push(['model', facts.model]);
  groups.push(['cell', JSON.stringify([facts.workspaceId ?? '', facts.apiKeyId ?? '', facts.provider ?? '', facts.model ?? ''])]);
  return groups;
}

/** Aggregate already-read facts into the rows of one window, sorted by dimension and key. */
export function aggregateRollups(facts: Iterable<LogFacts>, granularity: RollupGranularity, windowStart: number): RollupRow[] {
  const groups = new Map<string, { dimension: RollupDimension; key: string; accumulator: RollupAccumulator }>();
  for (const fact of facts) {
    for (const [dimension, key] of rollupGroupsOf(fact)) {
      const id = `${dimension}\u0000${key}`;
      let group = groups.get(id);
      if (group === undefined) {
        group = { dimension, key, accumulator: new RollupAccumulator() };
        groups.set(id, group);
      }
      group.accumulator.add(fact);
    }
  }
  return [...groups.values()]
    .map(({ dimension, key, accumulator }) => ({ granularity, windowStart, dimension, key, metrics: accumulator.metrics() }))
    .sort((a, b) => (a.dimension === b.dimension ? (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) : a.dimension < b.dimension ? -1 : 1));
}

/**
 * The rollup rows of `[from, to)`, computed from the raw logs read through the byDay index
 * (bodies left out). Every figure, percentiles included, is exact for the window: nothing is
 * derived from other rollups.
 */
export async function computeRollups(
  logs: Pick<LogStore, 'query'>,
  granularity: RollupGranularity,
  windowStart: number,
  to: number,
): Promise<RollupRow[]> {
  const facts: LogFacts[] = [];
  let cursor: string | undefined;
  do {
    const page = await logs.query({
      select: { by: 'time' },
      from: windowStart,
      to,
      order: 'oldest-first',
      limit: PAGE_SIZE,
      omitBodies: true,
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const entry of page.items) facts.push(readLogFacts(entry));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return aggregateRollups(facts, granularity, windowStart);
}
