import { isJsonObject, type JsonObject } from '../core/json.ts';
import type { LogEntry } from '../ports/log-store.ts';
import type { LogBodyMode } from '../ports/request-log-document.ts';
import type { RequestLogDetail, RequestRecord } from '../ports/request-log-sink.ts';
import { encodeLoggedBodies } from './encode-logged-bodies.ts';
import { prepareLoggedBodies } from './prepare-logged-bodies.ts';
import { collectRequestCredentials, scrubCredentialsInJson } from './request-credentials.ts';

/** Upstream error messages can be long (a provider's HTML error page); the record keeps their start. */
const MAX_ERROR_MESSAGE_CHARS = 2000;
const DAY_SECONDS = 86_400;

export interface RequestLogEntryInput {
  record: RequestRecord;
  detail: RequestLogDetail | undefined;
  requestId: string;
  bodies: LogBodyMode;
  retentionDays: number;
}

const text = (value: string | undefined): string | undefined => (value === '' ? undefined : value);

/** The record as JSON: every field it has (later issues add some), undefined ones dropped. */
function recordJson(record: RequestRecord): JsonObject {
  const parsed: unknown = JSON.parse(JSON.stringify(record));
  return isJsonObject(parsed) ? parsed : {};
}

/** The RequestLogDocument of a record (see ports/request-log-document.ts). */
export function buildRequestLogDocument(record: RequestRecord, requestId: string, bodies: LogBodyMode): JsonObject {
  const document: JsonObject = {
    ...recordJson(record),
    schema: 1,
    requestId,
    cacheStatus: record.cacheStatus ?? 'DISABLED',
    cost: record.cost !== undefined && Number.isFinite(record.cost) ? record.cost : 0,
    bodies,
  };
  if (record.errorMessage !== undefined && record.errorMessage.length > MAX_ERROR_MESSAGE_CHARS) {
    document.errorMessage = `${record.errorMessage.slice(0, MAX_ERROR_MESSAGE_CHARS)}…`;
  }
  return document;
}

/**
 * Turn a finished request into the entry the LogStore keeps: the record as a
 * RequestLogDocument, the bodies (per `bodies` mode) compressed beside it, `expiresAt` from
 * the retention, and every credential that came with the request scrubbed from both.
 */
export async function buildRequestLogEntry(input: RequestLogEntryInput): Promise<LogEntry> {
  const { record, detail, requestId } = input;
  const credentials = collectRequestCredentials(detail?.requestHeaders);
  const bodies: LogBodyMode = detail === undefined ? 'off' : input.bodies;
  const data = scrubCredentialsInJson(buildRequestLogDocument(record, requestId, bodies), credentials) as JsonObject;
  const entry: LogEntry = {
    traceId: record.traceId,
    requestId,
    createdAt: record.startedAt,
    expiresAt: Math.floor(record.startedAt / 1000) + Math.round(input.retentionDays * DAY_SECONDS),
    data,
  };
  const workspaceId = text(record.workspaceId);
  const apiKeyId = text(record.apiKeyId);
  if (workspaceId !== undefined) entry.workspaceId = workspaceId;
  if (apiKeyId !== undefined) entry.apiKeyId = apiKeyId;
  if (detail !== undefined && bodies !== 'off') {
    entry.bodies = await encodeLoggedBodies(prepareLoggedBodies(detail, bodies, credentials));
  }
  return entry;
}
