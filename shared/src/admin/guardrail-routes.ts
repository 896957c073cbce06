import { isJsonObject, type JsonObject, type JsonValue } from '../core/json.ts';
import {
  SAVED_GUARDRAIL_KIND,
  type SavedGuardrailRecord,
  parseSavedGuardrailRecord,
  savedGuardrailData,
} from '../guardrails/saved-guardrail-record.ts';
import type { ControlItem } from '../ports/control-store.ts';
import type { ConfigIssue } from '../protocol/describe-config-issue.ts';
import { parseSavedGuardrail } from '../protocol/guardrail-config.ts';
import * as z from '../protocol/zod-mini-english.ts';
import { ConflictError, invalidField, resourceNotFound } from './admin-errors.ts';
import { parseInput } from './admin-input.ts';
import { listItems, listResponse, readPageRequest } from './admin-listing.ts';
import { type AdminContext, type AdminRoute, jsonResponse, noContent } from './admin-route.ts';
import { isoTime, nameSchema, slugSchema } from './admin-schemas.ts';
import { answerSave, writeAudit } from './audit-log.ts';
import { requireActiveWorkspace } from './workspace-routes.ts';

/**
 * `/v1/guardrails`: saved guardrails that Configs name by id (`"input_guardrails": ["<id>"]`).
 * The body follows Portkey's admin API (`name`, `checks`, `actions`); checks are validated as
 * the gateway validates them in a Config, with the path of the first problem.
 */
const putSchema = z.strictObject({
  name: z.optional(nameSchema),
  workspace_id: z.optional(slugSchema),
  checks: z.unknown(),
  actions: z.optional(z.unknown()),
});

function presentGuardrail(record: SavedGuardrailRecord): JsonObject {
  const actions = record.actions;
  const action = (name: string): JsonValue => actions[name] ?? null;
  return {
    id: record.id,
    name: record.name,
    workspace_id: record.workspaceId ?? null,
    checks: record.checks,
    actions: { deny: actions.deny ?? false, async: actions.async ?? false, on_fail: action('on_fail'), on_success: action('on_success') },
    created_at: isoTime(record.createdAt),
    updated_at: isoTime(record.updatedAt),
  };
}

function recordOf(item: ControlItem): SavedGuardrailRecord {
  const record = parseSavedGuardrailRecord(item.data);
  // Only this module writes the kind; a foreign item reads as an empty guardrail rather than a 500.
  return record ?? { id: item.id, name: item.id, checks: [], actions: {}, createdAt: item.createdAt, updatedAt: item.updatedAt };
}

function guardrailId(params: Readonly<Record<string, string>>): string {
  const id = params.id ?? '';
  parseInput(slugSchema, id, 'id');
  return id;
}

async function requireGuardrail(context: AdminContext, id: string): Promise<ControlItem> {
  const item = await context.control.get(SAVED_GUARDRAIL_KIND, id);
  if (item === undefined) throw resourceNotFound('guardrail', id);
  return item;
}

export const guardrailRoutes: AdminRoute[] = [
  {
    method: 'PUT',
    path: '/v1/guardrails/{id}',
    async handler({ context, params, body }) {
      const id = guardrailId(params);
      const input = parseInput(putSchema, await body());
      const issues: ConfigIssue[] = [];
      parseSavedGuardrail(id, { checks: input.checks, actions: input.actions }, issues);
      const first = issues[0];
      if (first !== undefined) throw invalidField(first.path, first.message);
      if (input.workspace_id !== undefined) await requireActiveWorkspace(context, input.workspace_id);
      const actions = isJsonObject(input.actions as JsonValue) ? (input.actions as JsonObject) : {};
      // A concurrent write wins the version race: read again and retry once.
      for (let attempt = 0; attempt < 2; attempt++) {
        const beforeItem = await context.control.get(SAVED_GUARDRAIL_KIND, id);
        const before = beforeItem === undefined ? undefined : recordOf(beforeItem);
        if (before !== undefined && input.workspace_id !== undefined && input.workspace_id !== before.workspaceId) {
          const owner = before.workspaceId === undefined ? 'no workspace' : `workspace ${JSON.stringify(before.workspaceId)}`;
          throw invalidField('workspace_id', `guardrail ${JSON.stringify(id)} belongs to ${owner}; a guardrail keeps its workspace`);
        }
        const now = context.clock.now();
        const record: SavedGuardrailRecord = {
          id,
          name: input.name ?? before?.name ?? id,
          workspaceId: before === undefined ? input.workspace_id : before.workspaceId,
          checks: input.checks as JsonValue,
          actions,
          createdAt: before?.createdAt ?? now,
          updatedAt: now,
        };
        const write = { kind: SAVED_GUARDRAIL_KIND, id, data: savedGuardrailData(record) };
        const after = beforeItem === undefined ? await context.control.putIfAbsent(write) : await context.control.putIfVersion(write, beforeItem.version);
        if (after === undefined) continue;
        return answerSave(context, { kind: 'guardrail', id }, before === undefined ? undefined : presentGuardrail(before), presentGuardrail(recordOf(after)));
      }
      throw new ConflictError(`Another save of guardrail ${JSON.stringify(id)} happened at the same time; read it again and retry.`, 'version_conflict');
    },
  },
  {
    method: 'GET',
    path: '/v1/guardrails',
    async handler({ context, query }) {
      const workspace = query.get('workspace_id') ?? undefined;
      const keep = workspace === undefined ? undefined : (item: ControlItem) => recordOf(item).workspaceId === workspace;
      const page = await listItems(context.control, SAVED_GUARDRAIL_KIND, readPageRequest(query), keep === undefined ? {} : { keep });
      return listResponse(page.items.map((item) => presentGuardrail(recordOf(item))), page.cursor);
    },
  },
  {
    method: 'GET',
    path: '/v1/guardrails/{id}',
    async handler({ context, params }) {
      return jsonResponse(presentGuardrail(recordOf(await requireGuardrail(context, guardrailId(params)))));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/guardrails/{id}',
    async handler({ context, params }) {
      const id = guardrailId(params);
      const before = await requireGuardrail(context, id);
      if (!(await context.control.delete(SAVED_GUARDRAIL_KIND, id, before.version))) throw resourceNotFound('guardrail', id);
      await writeAudit(context, { action: 'delete', resource: { kind: 'guardrail', id }, before: presentGuardrail(recordOf(before)) });
      return noContent();
    },
  },
];
