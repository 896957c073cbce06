/**
 * Plain-text tables for people. Cells are single-line and free of control characters, so a
 * name containing a newline or a terminal escape sequence cannot forge rows or repaint the
 * screen.
 */

/** Columns left-aligned, separated by two spaces, header first; no trailing spaces. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cleanRows = [headers, ...rows].map((row) => headers.map((_, index) => cleanCell(row[index] ?? '')));
  const widths = headers.map((_, index) => Math.max(...cleanRows.map((row) => displayWidth(row[index] ?? ''))));
  return cleanRows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell + ' '.repeat((widths[index] ?? 0) - displayWidth(cell))))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/** `label  value` lines for one record, labels padded to the longest. */
export function formatDetails(entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(0, ...entries.map(([label]) => displayWidth(cleanCell(label))));
  return entries
    .map(([label, value]) => {
      const cleanLabel = cleanCell(label);
      return `${cleanLabel}${' '.repeat(width - displayWidth(cleanLabel))}  ${cleanCell(value)}`.trimEnd() + '\n';
    })
    .join('');
}

/**
 * A table cell for any API value: `-` for nothing, ISO dates for timestamps (`*_at` epoch
 * milliseconds or ISO strings), compact JSON for lists and objects.
 */
export function formatValue(value: unknown, options: { date?: boolean } = {}): string {
  if (value === undefined || value === null || value === '') return '-';
  if (options.date === true) return formatDate(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',') || '(none)';
  // Metadata and provider options read best the way they are typed: k=v,k2=v2.
  if (isStringMap(value)) return Object.entries(value).map(([key, item]) => `${key}=${item}`).join(',') || '-';
  return JSON.stringify(value);
}

/** Epoch milliseconds or a date string, in ISO 8601 UTC. */
export function formatDate(value: unknown): string {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value).toISOString();
  if (typeof value === 'string') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? value : new Date(time).toISOString();
  }
  return formatValue(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((item) => typeof item === 'string');
}

// C0 and C1 control characters, DEL, and the bidi overrides that can reorder what is shown.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

function cleanCell(text: string): string {
  return text.replace(/\r\n|\r|\n|\t/g, ' ').replace(UNSAFE_CHARACTERS, '\uFFFD');
}

/** Code points, so accented names line up; wide CJK glyphs are rare enough in ids and names. */
function displayWidth(text: string): number {
  return [...text].length;
}
