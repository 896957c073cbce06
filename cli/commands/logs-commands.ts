import type { AdminClient, ApiRecord } from '../admin-client.ts';
import type { CommandSpec } from '../command-spec.ts';
import { formatTable, formatValue } from '../format-table.ts';
import { UsageError } from '../cli-error.ts';
import { asRecord, readField } from '../output.ts';
import type { Column } from '../output.ts';
import { flagOption, isoDateOption, keyValueOption, stringOption, type OptionValues } from '../option-values.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { pagingFromOptions } from './paging.ts';

const LOG_COLUMNS: readonly Column[] = [
  { header: 'TIME', field: 'created_at', date: true },
  { header: 'TRACE', field: 'trace_id' },
  { header: 'STATUS', field: 'status' },
  { header: 'PROVIDER', field: 'provider' },
  { header: 'MODEL', field: 'model' },
  { header: 'LATENCY MS', field: 'latency_ms' },
  { header: 'TOKENS', field: 'usage.total_tokens' },
  { header: 'COST', field: 'cost' },
];
// Follow mode prints rows as they come, so columns cannot be sized to the widest cell.
const FOLLOW_WIDTHS = [24, 36, 6, 12, 24, 10, 8, 0];
/** How often `--follow` asks for new records. */
export const FOLLOW_INTERVAL_MS = 2000;
/**
 * A record is stamped with its arrival but written after its answer, so a slow request can
 * appear behind faster ones already printed: each poll looks back this far, deduplicating.
 */
const FOLLOW_LOOKBACK_MS = 30_000;

function number(values: OptionValues, name: 'min-cost' | 'min-latency-ms'): string | undefined {
  const raw = stringOption(values, name);
  if (raw !== undefined && !/^\d+(?:\.\d+)?$/.test(raw)) throw new UsageError(`--${name} must be a number >= 0, got "${raw}"`);
  return raw;
}

/** The `GET /v1/logs` query for the command's options (`--metadata k=v` becomes `metadata=k:v`). */
export function logQueryFromOptions(values: OptionValues): Record<string, string | string[] | undefined> {
  const metadata = keyValueOption(values, 'metadata');
  return {
    from: isoDateOption(values, 'from'),
    to: isoDateOption(values, 'to'),
    api_key_id: stringOption(values, 'key'),
    workspace_id: stringOption(values, 'workspace'),
    trace_id: stringOption(values, 'trace'),
    provider: stringOption(values, 'provider'),
    model: stringOption(values, 'model'),
    status: stringOption(values, 'status'),
    min_cost: number(values, 'min-cost'),
    min_latency_ms: number(values, 'min-latency-ms'),
    metadata: metadata === undefined ? undefined : Object.entries(metadata).map(([key, value]) => `${key}:${value}`),
  };
}

function cells(record: ApiRecord): string[] {
  return LOG_COLUMNS.map((column) => formatValue(readField(record, column.field), { date: column.date === true }));
}

/** One row at fixed widths; formatTable with the row as its only line cleans the cells. */
function followLine(row: readonly string[]): string {
  return formatTable(row.map((cell, index) => cell.padEnd(FOLLOW_WIDTHS[index] ?? 0)), []);
}

/** Identifies a record across polls: a trace may hold several requests. */
function recordKey(record: ApiRecord): string {
  return `${String(record.trace_id)}#${String(record.created_at)}#${String(record.request_id)}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * `--follow`: print the matching records of the range, oldest first, then poll every two seconds
 * for records from a little before the newest one seen, skipping those already printed. JSON mode prints
 * one record per line. Ctrl-C ends it normally (exit code 0).
 */
async function follow(client: AdminClient, values: OptionValues, write: (text: string) => void, json: boolean): Promise<void> {
  const stop = new AbortController();
  const onInterrupt = (): void => stop.abort();
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const query = logQueryFromOptions(values);
  const limit = pagingFromOptions(values).limit;
  /** Printed records by key, with their time, forgotten once they fall out of the look-back. */
  const seen = new Map<string, string>();
  let since: string | undefined;
  if (!json) write(followLine(LOG_COLUMNS.map((column) => column.header)));
  try {
    while (!stop.signal.aborted) {
      const from = since === undefined ? undefined : new Date(Date.parse(since) - FOLLOW_LOOKBACK_MS).toISOString();
      const page = await client.list('/v1/logs', from === undefined ? query : { ...query, from, to: undefined }, {
        ...(limit === undefined ? {} : { limit }),
        all: since !== undefined,
      });
      const fresh = page.data.map(asRecord).filter((record) => !seen.has(recordKey(record)));
      fresh.sort((left, right) => String(left.created_at).localeCompare(String(right.created_at)));
      for (const record of fresh) {
        seen.set(recordKey(record), String(record.created_at));
        write(json ? `${JSON.stringify(record)}\n` : followLine(cells(record)));
        if (typeof record.created_at === 'string' && (since === undefined || record.created_at > since)) since = record.created_at;
      }
      since ??= new Date().toISOString();
      if (from !== undefined) for (const [key, at] of seen) if (at < from) seen.delete(key);
      await sleep(FOLLOW_INTERVAL_MS, stop.signal);
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
  }
}

export const LOG_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'logs',
    action: '',
    summary: 'Show request logs, newest first (or follow new ones)',
    arguments: [],
    options: ['from', 'to', 'key', 'workspace', 'trace', 'provider', 'model', 'status', 'metadata', 'min-cost', 'min-latency-ms', 'follow', ...LIST_OPTIONS],
    notes: [
      'Without --from the last hour is shown. --key, --workspace and --trace pick the index read;',
      'the other filters apply to what it returns, so a page may be short while more remain.',
      'Example: turnpike logs --workspace team-a --metadata env=prod --min-latency-ms 1000 --all',
    ],
    async run({ values, client, output, io }) {
      if (flagOption(values, 'follow')) return follow(client, values, (text) => io.writeStdout(text), output.json);
      output.page(await client.list('/v1/logs', logQueryFromOptions(values), pagingFromOptions(values)), LOG_COLUMNS, 'logs');
    },
  },
];
