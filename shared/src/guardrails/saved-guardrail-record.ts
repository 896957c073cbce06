import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';

/**
 * Saved guardrails in the ControlStore: kind `guardrail`, id = the guardrail's id (what
 * `input_guardrails: ["<id>"]` names). `checks` and `actions` are kept as the admin API
 * received them (Portkey's admin shape) and validated by protocol/guardrail-config.ts on save
 * and again on read.
 */
export const SAVED_GUARDRAIL_KIND = 'guardrail';

export interface SavedGuardrailRecord {
  id: string;
  name: string;
  /** Only callers of this workspace may use it; absent = every workspace. */
  workspaceId?: string | undefined;
  checks: JsonValue;
  actions: JsonObject;
  createdAt: number;
  updatedAt: number;
}

/** The record of a `guardrail` item's data, or undefined when it is not one. */
export function parseSavedGuardrailRecord(data: JsonObject): SavedGuardrailRecord | undefined {
  const { id, name, workspaceId, checks, actions, createdAt, updatedAt } = data;
  if (typeof id !== 'string' || typeof name !== 'string' || checks === undefined || !isJsonObject(actions ?? {})) return undefined;
  if (typeof createdAt !== 'number' || typeof updatedAt !== 'number') return undefined;
  const record: SavedGuardrailRecord = { id, name, checks, actions: isJsonObject(actions) ? actions : {}, createdAt, updatedAt };
  if (typeof workspaceId === 'string') record.workspaceId = workspaceId;
  return record;
}

/** The item data of a record (absent fields left out). */
export function savedGuardrailData(record: SavedGuardrailRecord): JsonObject {
  const data: JsonObject = {
    id: record.id,
    name: record.name,
    checks: record.checks,
    actions: record.actions,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
  if (record.workspaceId !== undefined) data.workspaceId = record.workspaceId;
  return data;
}
