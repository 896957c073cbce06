import type { AdminPage, ApiRecord } from './admin-client.ts';
import type { CliIo } from './command-spec.ts';
import { formatDate, formatDetails, formatTable, formatValue } from './format-table.ts';

/** One column of a listing: header, the field it shows (snake_case, camelCase also read). */
export interface Column {
  header: string;
  field: string;
  date?: boolean;
}

/**
 * Everything a command prints goes through here, so `--json` is honoured in one place: JSON
 * mode prints the API's answer untouched, human mode prints tables and short sentences.
 */
export class Output {
  readonly json: boolean;
  readonly #io: CliIo;

  constructor(io: CliIo, json: boolean) {
    this.#io = io;
    this.json = json;
  }

  /** One record as `field  value` lines, every field the API returned, in its order. */
  record(value: unknown): void {
    if (this.json) return this.#printJson(value);
    this.#io.writeStdout(formatDetails(recordEntries(value)));
  }

  /** A listing as a table, with a hint when more pages remain. */
  page(page: AdminPage, columns: readonly Column[], noun: string): void {
    if (this.json) return this.#printJson(page);
    if (page.data.length === 0) {
      this.#io.writeStdout(`No ${noun}.\n`);
    } else {
      const rows = page.data.map((item) =>
        columns.map((column) => formatValue(readField(asRecord(item), column.field), { date: column.date === true })),
      );
      this.#io.writeStdout(formatTable(columns.map((column) => column.header), rows));
    }
    if (page.next_cursor !== null) {
      this.#io.writeStdout(`More ${noun}: add --cursor ${page.next_cursor} for the next page, or --all for every page.\n`);
    }
  }

  /** A sentence for people (`Deleted workspace w1.`); nothing in JSON mode. */
  message(text: string): void {
    if (!this.json) this.#io.writeStdout(`${text}\n`);
  }

  /** Something the reader must see even in JSON mode; goes to stderr so stdout stays parseable. */
  warning(text: string): void {
    if (this.json) this.#io.writeStderr(`turnpike: warning: ${text}\n`);
    else this.#io.writeStdout(`${text}\n`);
  }

  /** A JSON document printed as is, even in human mode (a Config object is best read as JSON). */
  jsonBlock(value: unknown): void {
    this.#printJson(value);
  }

  #printJson(value: unknown): void {
    this.#io.writeStdout(`${JSON.stringify(value ?? null, null, 2)}\n`);
  }
}

/**
 * Field `name` of a record: snake_case as the API documents it, falling back to the camelCase
 * spelling; a dotted name (`resource.kind`) reads a nested object.
 */
export function readField(record: ApiRecord, name: string): unknown {
  const [head = '', ...rest] = name.split('.');
  const value = head in record ? record[head] : record[head.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())];
  return rest.length === 0 ? value : readField(asRecord(value), rest.join('.'));
}

export function asRecord(value: unknown): ApiRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ApiRecord) : {};
}

function recordEntries(value: unknown): [string, string][] {
  return Object.entries(asRecord(value)).map(([name, field]) => [
    name,
    isDateField(name) ? formatDate(field) : formatValue(field),
  ]);
}

function isDateField(name: string): boolean {
  return /(?:_at|At)$/.test(name) || name === 'at';
}
