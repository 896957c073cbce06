import { BadRequestError } from '../../core/gateway-error.ts';
import { isJsonObject } from '../../core/json.ts';
import type { JsonObject, JsonValue } from '../../core/json.ts';

/**
 * What a caller can ask of the mock provider: faults to inject and the shape of the answer.
 * They come from a `mock` object in the request body (set directly or through a Config's
 * `override_params`) or from `x-portkey-metadata` keys prefixed `mock_`.
 */
export interface MockOptions {
  /** Answer with this error status (400-599) and an OpenAI-shaped error body. */
  status?: number;
  /** Seconds, sent as `retry-after` with the error status. */
  retryAfterSeconds?: number;
  /** Milliseconds, sent as `retry-after-ms` with the error status. */
  retryAfterMs?: number;
  /**
   * The faults (status, timeout, cut_after, malformed) apply only while `attempt < failAttempts`,
   * so a retry can then succeed; latency and the shape of the answer apply to every attempt.
   */
  failAttempts?: number;
  /** Never answer; the call ends only when its signal aborts. */
  timeout?: boolean;
  /** Wait this long before answering. */
  latencyMs?: number;
  /** Drop the connection after this many content chunks (a non-stream body is cut in half). */
  cutAfter?: number;
  /** Answer 200 with a body (or an SSE data line) that is not JSON. */
  malformed?: boolean;
  /** Split the streamed reply into this many content chunks instead of one per word. */
  chunks?: number;
  /** Wait this long between streamed content chunks. */
  chunkDelayMs?: number;
  /** Reply with this text instead of the generated one. */
  reply?: string;
}

type OptionKind = 'status' | 'count' | 'positive-count' | 'milliseconds' | 'seconds' | 'flag' | 'text';

const OPTIONS: Readonly<Record<string, { field: keyof MockOptions; kind: OptionKind }>> = {
  status: { field: 'status', kind: 'status' },
  retry_after: { field: 'retryAfterSeconds', kind: 'seconds' },
  retry_after_ms: { field: 'retryAfterMs', kind: 'milliseconds' },
  fail_attempts: { field: 'failAttempts', kind: 'count' },
  timeout: { field: 'timeout', kind: 'flag' },
  latency_ms: { field: 'latencyMs', kind: 'milliseconds' },
  cut_after: { field: 'cutAfter', kind: 'count' },
  malformed: { field: 'malformed', kind: 'flag' },
  chunks: { field: 'chunks', kind: 'positive-count' },
  chunk_delay_ms: { field: 'chunkDelayMs', kind: 'milliseconds' },
  reply: { field: 'reply', kind: 'text' },
};

/** Ten minutes: longer than any Lambda request, so a bigger wait is surely a typo. */
const MAX_MILLISECONDS = 600_000;
const MAX_COUNT = 100_000;

const EXPECTED: Readonly<Record<OptionKind, string>> = {
  status: 'an integer HTTP error status from 400 to 599',
  count: `an integer from 0 to ${MAX_COUNT}`,
  'positive-count': `an integer from 1 to ${MAX_COUNT}`,
  milliseconds: `a number of milliseconds from 0 to ${MAX_MILLISECONDS}`,
  seconds: `an integer number of seconds from 0 to ${MAX_MILLISECONDS / 1000}`,
  flag: 'a boolean',
  text: 'a string',
};

function fromMetadataString(kind: OptionKind, text: string): JsonValue {
  if (kind === 'text') return text;
  if (kind === 'flag') return text === 'true' ? true : text === 'false' ? false : text;
  // Metadata values are strings by protocol; numbers arrive as their decimal text.
  return /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

function isInRange(value: number, min: number, max: number, integer: boolean): boolean {
  return Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
}

function checkValue(kind: OptionKind, value: JsonValue): number | boolean | string | undefined {
  switch (kind) {
    case 'flag':
      return typeof value === 'boolean' ? value : undefined;
    case 'text':
      return typeof value === 'string' ? value : undefined;
    default: {
      if (typeof value !== 'number') return undefined;
      const ranges: Record<Exclude<OptionKind, 'flag' | 'text'>, [number, number, boolean]> = {
        status: [400, 599, true],
        count: [0, MAX_COUNT, true],
        'positive-count': [1, MAX_COUNT, true],
        milliseconds: [0, MAX_MILLISECONDS, false],
        seconds: [0, MAX_MILLISECONDS / 1000, true],
      };
      const [min, max, integer] = ranges[kind];
      return isInRange(value, min, max, integer) ? value : undefined;
    }
  }
}

function setOption(options: MockOptions, name: string, value: JsonValue, param: string): void {
  const option = OPTIONS[name];
  if (option === undefined) {
    throw new BadRequestError(
      `Unknown mock provider option ${param}; known options are ${Object.keys(OPTIONS).join(', ')}.`,
      'invalid_mock_option',
      param,
    );
  }
  const checked = checkValue(option.kind, value);
  if (checked === undefined) {
    throw new BadRequestError(
      `The mock provider option ${param} must be ${EXPECTED[option.kind]}.`,
      'invalid_mock_option',
      param,
    );
  }
  Object.assign(options, { [option.field]: checked });
}

/**
 * Reads the mock options of one request and returns them with the body the "server" gets:
 * the same body without its `mock` key. Options in the body win over metadata ones.
 * Throws a BadRequestError naming the option (`mock.status`, `metadata.mock_status`) when
 * an option is unknown or has the wrong type.
 */
export function readMockOptions(
  body: JsonObject | undefined,
  metadata: Readonly<Record<string, string>>,
): { options: MockOptions; body: JsonObject | undefined } {
  const options: MockOptions = {};
  for (const [key, text] of Object.entries(metadata)) {
    if (!key.startsWith('mock_')) continue;
    const name = key.slice('mock_'.length);
    const kind = OPTIONS[name]?.kind ?? 'text';
    setOption(options, name, fromMetadataString(kind, text), `metadata.${key}`);
  }
  if (body === undefined || !('mock' in body)) return { options, body };
  const { mock, ...rest } = body;
  if (!isJsonObject(mock)) {
    throw new BadRequestError('The mock provider option mock must be an object.', 'invalid_mock_option', 'mock');
  }
  for (const [name, value] of Object.entries(mock)) setOption(options, name, value, `mock.${name}`);
  return { options, body: rest };
}

/** The options for one attempt: faults are left out once `attempt` reaches `failAttempts`. */
export function optionsForAttempt(options: MockOptions, attempt: number): MockOptions {
  if (options.failAttempts === undefined || attempt < options.failAttempts) return options;
  const shaping = { ...options };
  delete shaping.status;
  delete shaping.timeout;
  delete shaping.cutAfter;
  delete shaping.malformed;
  return shaping;
}
