import type { LogEntry, LogQuery, LogStore } from '../../shared/src/ports/log-store.ts';
import type { Page } from '../../shared/src/ports/page.ts';
import type { RollupRow, RollupStore } from '../../shared/src/ports/rollup-store.ts';

/** The time queries of a LogStore over an array, paged like the real one (cursor = offset). */
export function memoryLogReader(entries: readonly LogEntry[]): Pick<LogStore, 'query'> & { queries: LogQuery[] } {
  const queries: LogQuery[] = [];
  return {
    queries,
    async query(query): Promise<Page<LogEntry>> {
      queries.push(query);
      const from = query.from ?? -Infinity;
      const to = query.to ?? Infinity;
      const matching = entries.filter((entry) => entry.createdAt >= from && entry.createdAt < to).sort((a, b) => a.createdAt - b.createdAt);
      const offset = query.cursor === undefined ? 0 : Number(query.cursor);
      const limit = query.limit ?? 50;
      const items = matching.slice(offset, offset + limit).map((entry) => (query.omitBodies === true ? { ...entry, bodies: undefined } : entry));
      return { items, cursor: offset + limit < matching.length ? String(offset + limit) : undefined };
    },
  };
}

interface StoredRow {
  row: RollupRow;
  computedAt: number;
  expiresAt: number;
}

/** A RollupStore in memory, with a hook to make a put fail (a crash mid-run). */
export function memoryRollupStore(clock: { now(): number } = { now: () => Date.now() }) {
  const rows = new Map<string, StoredRow>();
  const checkpoints = new Map<string, number>();
  let failAfterPuts = Infinity;
  let puts = 0;
  const id = (row: Pick<RollupRow, 'granularity' | 'windowStart' | 'dimension' | 'key'>) => JSON.stringify([row.granularity, row.windowStart, row.dimension, row.key]);
  const store: RollupStore = {
    async put(row, options) {
      if (++puts > failAfterPuts) throw new Error('the table went away');
      const existing = rows.get(id(row));
      if (existing !== undefined && existing.computedAt > options.computedAt) return;
      rows.set(id(row), { row: structuredClone(row), computedAt: options.computedAt, expiresAt: options.expiresAt });
    },
    async list(granularity, windowStart, dimension) {
      const now = Math.floor(clock.now() / 1000);
      return [...rows.values()]
        .filter(({ row, expiresAt }) => row.granularity === granularity && row.windowStart === windowStart && row.dimension === dimension && expiresAt > now)
        .map(({ row }) => row)
        .sort((a, b) => (a.key < b.key ? -1 : 1));
    },
    async readCheckpoint(name) {
      return checkpoints.get(name);
    },
    async advanceCheckpoint(name, to) {
      if ((checkpoints.get(name) ?? -Infinity) >= to) return false;
      checkpoints.set(name, to);
      return true;
    },
  };
  return {
    store,
    /** Every row, sorted, without write metadata: what two runs are compared by. */
    snapshot: () => [...rows.values()].map(({ row }) => row).sort((a, b) => (id(a) < id(b) ? -1 : 1)),
    failAfter(count: number) {
      failAfterPuts = puts + count;
    },
    heal() {
      failAfterPuts = Infinity;
    },
  };
}
