import type { EventSourceMessage } from 'eventsource-parser';
import { UpstreamError, type GatewayError } from '../../core/gateway-error.ts';
import { isJsonObject, type JsonObject } from '../../core/json.ts';
import { usageFromOpenAI, type Usage } from '../../core/usage.ts';
import { normaliseUpstreamErrorBody, tryParseJson } from './read-upstream-error.ts';

/** What one upstream SSE event of an OpenAI-style stream means for the relay. */
export type OpenAIStreamEvent =
  | { kind: 'done' }
  /** Empty `data:` lines some servers send as keep-alives. */
  | { kind: 'ignored' }
  | {
      kind: 'chunk';
      /** The event's data, ready for a single `data:` line. */
      payload: string;
      usage: Usage | undefined;
      /** The extra chunk `stream_options.include_usage` asks for: no choices, only usage. */
      usageOnly: boolean;
    }
  | { kind: 'error'; error: GatewayError }
  | { kind: 'malformed' };

function upstreamStatusOf(parsed: JsonObject): number {
  const error = parsed.error;
  const candidates = [isJsonObject(error) ? error.status : undefined, isJsonObject(error) ? error.code : undefined, parsed.status];
  for (const candidate of candidates) {
    const status = typeof candidate === 'string' ? Number(candidate) : candidate;
    if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) return status;
  }
  // The stream's HTTP status (200) is long gone; 502 says "the provider failed mid-answer".
  return 502;
}

function streamError(provider: string, parsed: JsonObject | undefined, text: string): UpstreamError {
  const status = parsed === undefined ? 502 : upstreamStatusOf(parsed);
  return new UpstreamError({ provider, status, body: normaliseUpstreamErrorBody(provider, status, parsed, text) });
}

/** Spaces and tabs, the blanks JSON allows on a single line. */
function skipBlanks(text: string, at: number): number {
  let index = at;
  while (text[index] === ' ' || text[index] === '\t') index++;
  return index;
}

/**
 * Whether a one-line JSON text has no usage to read: no `"usage"` key, or only `"usage": null`.
 * With `stream_options.include_usage` OpenAI puts `"usage":null` on every chunk but the last,
 * and reading each of those would parse the whole stream.
 */
function carriesNoUsage(data: string): boolean {
  const key = '"usage"';
  for (let found = data.indexOf(key); found !== -1; found = data.indexOf(key, found + key.length)) {
    const colon = skipBlanks(data, found + key.length);
    if (data[colon] !== ':') return false;
    const value = skipBlanks(data, colon + 1);
    const after = data[skipBlanks(data, value + 4)];
    if (!data.startsWith('null', value) || (after !== ',' && after !== '}')) return false;
  }
  return true;
}

/**
 * Classify one parsed SSE event. Only events that may carry usage or an error (or that
 * need re-serialising) are JSON-parsed; the rest are checked for JSON framing only, which
 * keeps the per-chunk cost of a long stream near zero.
 */
export function classifyOpenAIStreamEvent(provider: string, event: EventSourceMessage): OpenAIStreamEvent {
  const data = event.data;
  const trimmed = data.trim();
  if (trimmed === '') return { kind: 'ignored' };
  if (trimmed === '[DONE]') return { kind: 'done' };
  const isErrorEvent = event.event === 'error';
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) {
    return isErrorEvent ? { kind: 'error', error: streamError(provider, undefined, trimmed) } : { kind: 'malformed' };
  }
  // A literal `"usage"` or `"error"` can only be a key: inside JSON strings quotes are escaped.
  const multiline = data.includes('\n');
  if (!isErrorEvent && !multiline && !data.includes('"error"') && carriesNoUsage(data)) {
    return { kind: 'chunk', payload: data, usage: undefined, usageOnly: false };
  }
  const parsed = tryParseJson(data);
  if (!isJsonObject(parsed)) {
    return isErrorEvent ? { kind: 'error', error: streamError(provider, undefined, trimmed) } : { kind: 'malformed' };
  }
  if (isErrorEvent || (parsed.error !== undefined && parsed.error !== null)) {
    return { kind: 'error', error: streamError(provider, parsed, trimmed) };
  }
  const usage = usageFromOpenAI(parsed.usage);
  return {
    kind: 'chunk',
    // A data field spread over several `data:` lines joins with newlines; one line is needed.
    payload: multiline ? JSON.stringify(parsed) : data,
    usage,
    usageOnly: usage !== undefined && Array.isArray(parsed.choices) && parsed.choices.length === 0,
  };
}
