import { randomBytes } from 'node:crypto';
import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';
import { ACCESS_KINDS, type AuditRecord } from '../keys/access-records.ts';
import { recordToData } from '../keys/access-record-codec.ts';
import { type AdminContext, jsonResponse } from './admin-route.ts';

/** What a change was made to, in the API's words. */
export type AuditResourceKind = 'workspace' | 'key' | 'virtual-key' | 'principal' | 'config' | 'guardrail' | 'budget' | 'rate-limit';

export interface AuditEntry {
  action: string;
  resource: { kind: AuditResourceKind; id: string };
  /** The resource as the API shows it (no secret, no hash), before and after the change. */
  before?: JsonObject | undefined;
  after?: JsonObject | undefined;
}

// Ids count down from this, so the store's ascending id order lists the newest record first.
const LATEST_EPOCH_MS = 9_999_999_999_999;

/** Audit item id: `<LATEST_EPOCH_MS - at, 13 digits>-<random>`, newest first in id order. */
export function auditId(at: number): string {
  return `${String(LATEST_EPOCH_MS - at).padStart(13, '0')}-${randomBytes(6).toString('hex')}`;
}

/** Fields that may hold a secret, dropped from audit snapshots whatever a presenter did. */
const SECRET_FIELDS = new Set(['secret', 'hash', 'keyHash', 'key_hash', 'api_key', 'aws_secret_access_key', 'aws_session_token']);

function withoutSecrets(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutSecrets);
  if (!isJsonObject(value)) return value;
  const clean: JsonObject = {};
  for (const [key, item] of Object.entries(value)) if (!SECRET_FIELDS.has(key)) clean[key] = withoutSecrets(item);
  return clean;
}

/**
 * Record who changed what, when, with before/after snapshots. Written after the change itself
 * (an audit item can never describe a change that did not happen); a failure to write it fails
 * the call, so the caller learns the trail is incomplete.
 */
export async function writeAudit(context: AdminContext, entry: AuditEntry): Promise<AuditRecord> {
  const at = context.clock.now();
  const record: AuditRecord = { id: auditId(at), at, actor: context.actor, action: entry.action, resource: entry.resource };
  if (entry.before !== undefined) record.before = withoutSecrets(entry.before) as JsonObject;
  if (entry.after !== undefined) record.after = withoutSecrets(entry.after) as JsonObject;
  // Random ids do not collide in practice; a second try covers the astronomically unlikely case.
  for (let attempt = 0; attempt < 2; attempt++) {
    const written = await context.control.putIfAbsent({ kind: ACCESS_KINDS.audit, id: record.id, data: recordToData(record) });
    if (written !== undefined) return record;
    record.id = auditId(at);
  }
  throw new Error('Could not write an audit record.');
}

/** An audit item's data as the API shows it. */
export function presentAudit(data: JsonObject): JsonObject {
  const resource = isJsonObject(data.resource) ? data.resource : {};
  return {
    id: data.id ?? null,
    at: typeof data.at === 'number' ? new Date(data.at).toISOString() : null,
    actor: data.actor ?? null,
    action: data.action ?? null,
    resource_kind: resource.kind ?? null,
    resource_id: resource.id ?? null,
    before: data.before ?? null,
    after: data.after ?? null,
  };
}

/**
 * Audit a create-or-replace and answer it: 201 with the resource when it is new, else 200 (the
 * audit keeps what it replaced). `before` and `after` are the resource as the API shows it.
 */
export async function answerSave(context: AdminContext, resource: AuditEntry['resource'], before: JsonObject | undefined, after: JsonObject): Promise<Response> {
  await writeAudit(context, { action: before === undefined ? 'create' : 'update', resource, ...(before === undefined ? {} : { before }), after });
  return jsonResponse(after, before === undefined ? 201 : 200);
}
