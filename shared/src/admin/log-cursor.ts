import { invalidField } from './admin-errors.ts';

/** What a `GET /v1/logs` cursor carries: the store's cursor and the time range it belongs to. */
export interface LogCursor {
  store: string;
  from: number | undefined;
  to: number | undefined;
}

/** Opaque to callers: base64url JSON. */
export function encodeLogCursor(cursor: LogCursor): string {
  return Buffer.from(JSON.stringify({ s: cursor.store, f: cursor.from ?? null, t: cursor.to ?? null }), 'utf8').toString('base64url');
}

const optionalTime = (value: unknown): value is number | null => value === null || (typeof value === 'number' && Number.isFinite(value));

/** Read a cursor `encodeLogCursor` wrote; 400 `invalid_cursor` for anything else. */
export function decodeLogCursor(text: string): LogCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (typeof parsed === 'object' && parsed !== null) {
    const { s, f, t } = parsed as Record<string, unknown>;
    if (typeof s === 'string' && s !== '' && optionalTime(f) && optionalTime(t)) return { store: s, from: f ?? undefined, to: t ?? undefined };
  }
  throw invalidField('cursor', 'is not one this listing returned', 'invalid_cursor');
}
