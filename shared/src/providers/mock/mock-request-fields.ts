import { isJsonObject, type JsonObject } from '../../core/json.ts';
import type { MockOptions } from './mock-fault-options.ts';

/** What every mock endpoint knows about the call beyond its body. */
export interface MockEndpointContext {
  /** `created` for answers, in seconds, from the injected clock. */
  createdSeconds: number;
  /** A stable hash of the request, for ids that repeat when the request does. */
  requestHash: string;
  options: MockOptions;
}

/** A request the real API would refuse with 400; the mock server answers it in OpenAI's shape. */
export class MockInvalidRequest extends Error {
  readonly param: string | null;
  readonly code: string;

  constructor(message: string, param: string | null, code = 'invalid_value') {
    super(message);
    this.param = param;
    this.code = code;
  }
}

/** An optional integer field within bounds, or its default. */
export function integerField(body: JsonObject, name: string, bounds: { min: number; max: number; fallback: number }): number;
export function integerField(body: JsonObject, name: string, bounds: { min: number; max: number }): number | undefined;
export function integerField(
  body: JsonObject,
  name: string,
  bounds: { min: number; max: number; fallback?: number },
): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return bounds.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new MockInvalidRequest(`'${name}' must be an integer from ${bounds.min} to ${bounds.max}.`, name);
  }
  return value;
}

/** The model the caller named, or the mock's default for the endpoint. */
export function modelOf(body: JsonObject, fallback: string): string {
  return typeof body.model === 'string' && body.model !== '' ? body.model : fallback;
}

/** The caller's limit on completion tokens (`max_completion_tokens`, else `max_tokens`). */
export function maxTokensOf(body: JsonObject): number | undefined {
  const bounds = { min: 1, max: 1_000_000 };
  return integerField(body, 'max_completion_tokens', bounds) ?? integerField(body, 'max_tokens', bounds);
}

/** Whether the caller asked for the extra usage chunk at the end of a stream. */
export function wantsStreamUsage(body: JsonObject): boolean {
  const streamOptions = body.stream_options;
  return isJsonObject(streamOptions) && streamOptions.include_usage === true;
}
