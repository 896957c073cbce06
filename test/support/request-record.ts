import { vi } from 'vitest';
import type { RequestRecord } from '../../shared/src/ports/request-log-sink.ts';

/** A finished, successful, non-streamed chat request record; tests override what they look at. */
export function requestRecord(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    traceId: 'trace-1',
    method: 'POST',
    path: '/v1/chat/completions',
    endpoint: 'chatComplete',
    provider: 'openai',
    model: 'gpt-4o-mini',
    status: 200,
    stream: false,
    startedAt: 1_700_000_000_000,
    latencyMs: 5,
    firstByteMs: 4,
    retryAttempts: 0,
    lastUsedOptionIndex: undefined,
    usage: undefined,
    errorCode: undefined,
    errorMessage: undefined,
    metadata: {},
    ...overrides,
  };
}

/**
 * Collect the JSON lines written to stdout (Powertools writes through a Console bound to
 * process.stdout) until the spy is restored with `vi.restoreAllMocks()`.
 */
export function captureStdoutJsonLines<Line = Record<string, unknown>>(): Line[] {
  const lines: Line[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const text of String(chunk).split('\n')) if (text.trim() !== '') lines.push(JSON.parse(text) as Line);
    return true;
  });
  return lines;
}
