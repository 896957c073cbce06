/** One body as the request log keeps it. */
export interface LoggedBody {
  /** How `text` reads: JSON, SSE events, plain text, or a note saying why the content is absent. */
  format: 'json' | 'sse' | 'text' | 'omitted';
  text: string;
  /** Size of the original body in bytes, when the gateway saw its bytes. */
  bytes?: number;
  /** Set when `text` was cut; it then ends with the truncation marker. */
  truncated?: true;
}

/** What `LogEntry.bodies` holds once decompressed. */
export interface LoggedBodies {
  mode: 'full' | 'redacted';
  request?: LoggedBody;
  response?: LoggedBody;
}

/** The marker that ends a cut body, so nobody mistakes a truncated body for a whole one. */
export function truncationMarker(keptChars: number, totalChars: number): string {
  return `…[truncated by Turnpike: ${keptChars} of ${totalChars} characters kept]`;
}

/** `body` cut to at most `maxChars` characters of content, marker added, never splitting a surrogate pair. */
export function truncateLoggedBody(body: LoggedBody, maxChars: number): LoggedBody {
  if (body.text.length <= maxChars) return body;
  let keep = Math.max(0, Math.floor(maxChars));
  const last = body.text.charCodeAt(keep - 1);
  if (keep > 0 && last >= 0xd800 && last <= 0xdbff) keep--;
  return { ...body, text: `${body.text.slice(0, keep)}${truncationMarker(keep, body.text.length)}`, truncated: true };
}
