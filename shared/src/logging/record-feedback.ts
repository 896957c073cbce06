import { randomUUID } from 'node:crypto';
import { BadRequestError } from '../core/gateway-error.ts';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';
import type { Clock } from '../ports/clock.ts';
import type { FeedbackEntry, LogStore } from '../ports/log-store.ts';

/** One piece of feedback as a caller sends it, checked. */
export interface FeedbackInput {
  traceId: string;
  value: number;
  weight: number;
  metadata: JsonObject;
}

/** Who gave the feedback, when the gateway knows. */
export interface FeedbackCaller {
  workspaceId?: string | undefined;
  apiKeyId?: string | undefined;
}

/** Stores feedback posted to `/v1/feedback`. */
export interface FeedbackRecorder {
  /** Check and store the body; resolves with the new feedback ids in input order. */
  record(body: JsonValue, caller?: FeedbackCaller): Promise<string[]>;
}

export interface FeedbackRecorderOptions {
  logs: Pick<LogStore, 'putFeedback'>;
  clock: Pick<Clock, 'now'>;
  /** Kept as long as the request logs. @default DEFAULT_LOG_RETENTION_DAYS */
  retentionDays?: number;
  newFeedbackId?: () => string;
}

/** The retention used when a deployment sets none (the stack's default too). */
export const DEFAULT_LOG_RETENTION_DAYS = 30;
const MAX_ITEMS = 100;
const MAX_METADATA_BYTES = 4096;
const MAX_TRACE_ID_LENGTH = 128;
const TRACE_ID = /^[\w.:/@-]+$/;

function fail(message: string, param: string): never {
  throw new BadRequestError(message, 'invalid_feedback', param);
}

function readMetadata(raw: JsonValue | undefined, param: string): JsonObject {
  if (raw === undefined || raw === null) return {};
  let value: unknown = raw;
  // Portkey documents metadata as a JSON string in places and as an object in others: take both.
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      fail('`metadata` must be a JSON object.', param);
    }
  }
  if (!isJsonObject(value)) fail('`metadata` must be a JSON object.', param);
  if (JSON.stringify(value).length > MAX_METADATA_BYTES) fail(`\`metadata\` must be at most ${MAX_METADATA_BYTES} bytes of JSON.`, param);
  return value;
}

function readItem(item: JsonValue | undefined, prefix: string): FeedbackInput {
  if (!isJsonObject(item)) fail('Each feedback must be a JSON object with `trace_id` and `value`.', prefix || 'body');
  // The Portkey Node SDK sends the body as given, where its docs spell the field `traceID`.
  const traceId = item.trace_id ?? item.traceID;
  if (typeof traceId !== 'string' || traceId.trim() === '') fail('`trace_id` is required: the x-portkey-trace-id of the request.', `${prefix}trace_id`);
  if (traceId.length > MAX_TRACE_ID_LENGTH || !TRACE_ID.test(traceId)) {
    fail(`\`trace_id\` must be at most ${MAX_TRACE_ID_LENGTH} characters of letters, digits and . _ - : / @.`, `${prefix}trace_id`);
  }
  const { value, weight = 1 } = item;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -10 || value > 10) {
    fail('`value` is required: a number from -10 to 10.', `${prefix}value`);
  }
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0 || weight > 1) fail('`weight` must be a number from 0 to 1.', `${prefix}weight`);
  return { traceId, value, weight, metadata: readMetadata(item.metadata, `${prefix}metadata`) };
}

/**
 * Check a `POST /v1/feedback` body: one feedback object or an array of them (the Portkey SDK
 * accepts both), each `{trace_id, value (-10..10), weight? (0..1, default 1), metadata?}`.
 * Throws a BadRequestError naming the field at fault.
 */
export function parseFeedbackBody(body: JsonValue): FeedbackInput[] {
  if (!Array.isArray(body)) return [readItem(body, '')];
  if (body.length === 0 || body.length > MAX_ITEMS) fail(`Send between 1 and ${MAX_ITEMS} feedback objects.`, 'body');
  return body.map((item, index) => readItem(item, `[${index}].`));
}

/**
 * The feedback recorder: each piece becomes one LogStore feedback item in its trace's
 * partition, so a trace lookup returns the requests and their feedback together. The trace
 * need not exist yet (its log is written after the answer, and may still be on its way).
 */
export function createFeedbackRecorder(options: FeedbackRecorderOptions): FeedbackRecorder {
  const retentionSeconds = Math.round((options.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS) * 86_400);
  const newFeedbackId = options.newFeedbackId ?? randomUUID;
  return {
    async record(body, caller = {}) {
      const inputs = parseFeedbackBody(body);
      const createdAt = options.clock.now();
      const entries = inputs.map((input): FeedbackEntry => {
        const entry: FeedbackEntry = { feedbackId: newFeedbackId(), ...input, createdAt, expiresAt: Math.floor(createdAt / 1000) + retentionSeconds };
        if (caller.workspaceId !== undefined) entry.workspaceId = caller.workspaceId;
        if (caller.apiKeyId !== undefined) entry.apiKeyId = caller.apiKeyId;
        return entry;
      });
      await Promise.all(entries.map((entry) => options.logs.putFeedback(entry)));
      return entries.map((entry) => entry.feedbackId);
    },
  };
}
