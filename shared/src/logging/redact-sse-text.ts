import type { JsonValue } from '../core/json.ts';
import { redactJsonBody, redactedText } from './redact-json-body.ts';

const DATA_PREFIX = /^data: ?/;

function redactData(payload: string, hideContent: boolean): string {
  if (payload === '[DONE]') return payload;
  let parsed: JsonValue;
  try {
    parsed = JSON.parse(payload) as JsonValue;
  } catch {
    // A capture cut mid-event leaves a partial line; its content is not shown either.
    return hideContent ? redactedText(payload.length) : payload;
  }
  return JSON.stringify(redactJsonBody(parsed, hideContent));
}

/**
 * Redact captured SSE text event by event: each `data:` line holding JSON goes through
 * redactJsonBody, so a streamed answer keeps its event structure (ids, roles, finish reasons,
 * usage) and loses its content in `redacted` mode. `event:`, `id:` and blank lines are kept.
 */
export function redactSseText(text: string, hideContent: boolean): string {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    const prefix = DATA_PREFIX.exec(line);
    if (prefix === null) continue;
    const carriageReturn = line.endsWith('\r') ? '\r' : '';
    const payload = line.slice(prefix[0].length, line.length - carriageReturn.length);
    lines[index] = `data: ${redactData(payload, hideContent)}${carriageReturn}`;
  }
  return lines.join('\n');
}
