import { isJsonObject, type JsonObject } from '../core/json.ts';
import { ACCESS_KINDS, type WorkspaceRecord } from '../keys/access-records.ts';
import { parseApiKeyRecord, parsePrincipalRecord, parseVirtualKeyRecord, recordToData } from '../keys/access-record-codec.ts';
import type { ControlItem } from '../ports/control-store.ts';
import * as z from '../protocol/zod-mini-english.ts';
import { ConflictError, invalidField, resourceNotFound } from './admin-errors.ts';
import { parseInput } from './admin-input.ts';
import { findFirstItem, listItems, listResponse, readPageRequest } from './admin-listing.ts';
import { type AdminContext, type AdminRoute, jsonResponse, noContent } from './admin-route.ts';
import { metadataSchema, nameSchema, slugSchema } from './admin-schemas.ts';
import { writeAudit } from './audit-log.ts';
import { updateVersioned } from './versioned-update.ts';

/**
 * A workspace as stored. `deleting` is set while a delete checks that nothing uses the
 * workspace, so a key created meanwhile sees it and backs out (there are no transactions).
 */
interface StoredWorkspace extends WorkspaceRecord {
  deleting?: boolean;
}

const createSchema = z.strictObject({ id: slugSchema, name: nameSchema, metadata: z.optional(metadataSchema) });
const patchSchema = z.strictObject({ name: z.optional(nameSchema), metadata: z.optional(metadataSchema) });

function readWorkspace(item: ControlItem): StoredWorkspace {
  const { data } = item;
  const metadata: Record<string, string> = {};
  if (isJsonObject(data.metadata)) for (const [key, value] of Object.entries(data.metadata)) if (typeof value === 'string') metadata[key] = value;
  return { id: item.id, name: typeof data.name === 'string' ? data.name : item.id, metadata, ...(data.deleting === true ? { deleting: true } : {}) };
}

function presentWorkspace(item: ControlItem): JsonObject {
  const workspace = readWorkspace(item);
  return {
    id: workspace.id,
    name: workspace.name,
    metadata: workspace.metadata,
    created_at: new Date(item.createdAt).toISOString(),
    updated_at: new Date(item.updatedAt).toISOString(),
  };
}

const notFound = (id: string) => () => resourceNotFound('workspace', id);

/**
 * Check that a workspace named in a body exists and is not being deleted: 400 naming `param`
 * when it does not exist, 409 while it is being deleted.
 */
export async function requireActiveWorkspace(context: AdminContext, workspaceId: string, param = 'workspace_id'): Promise<void> {
  const item = await context.control.get(ACCESS_KINDS.workspace, workspaceId);
  if (item === undefined) throw invalidField(param, `no workspace with id ${JSON.stringify(workspaceId)}`, 'workspace_not_found');
  if (readWorkspace(item).deleting === true) throw new ConflictError(`Workspace ${JSON.stringify(workspaceId)} is being deleted.`, 'workspace_deleting');
}

/**
 * After writing something into a workspace: is the workspace still there and not being
 * deleted? When not, the caller removes what it wrote and answers 409 (see the delete route).
 */
export async function workspaceStillActive(context: AdminContext, workspaceId: string): Promise<boolean> {
  const item = await context.control.get(ACCESS_KINDS.workspace, workspaceId);
  return item !== undefined && readWorkspace(item).deleting !== true;
}

/** What still uses a workspace, or undefined when nothing does. */
async function findWorkspaceUser(context: AdminContext, workspaceId: string): Promise<string | undefined> {
  const key = await findFirstItem(context.control, ACCESS_KINDS.apiKey, (item) => parseApiKeyRecord(item.data)?.workspaceId === workspaceId);
  if (key !== undefined) return `key ${parseApiKeyRecord(key.data)?.id ?? ''}`;
  const virtualKey = await findFirstItem(context.control, ACCESS_KINDS.virtualKey, (item) => parseVirtualKeyRecord(item.data)?.workspaceId === workspaceId);
  if (virtualKey !== undefined) return `virtual key ${virtualKey.id}`;
  const principal = await findFirstItem(context.control, ACCESS_KINDS.principal, (item) => parsePrincipalRecord(item.data)?.workspaceId === workspaceId);
  if (principal !== undefined) return `principal ${principal.id}`;
  return undefined;
}

/** `/v1/workspaces` routes. */
export const workspaceRoutes: AdminRoute[] = [
  {
    method: 'POST',
    path: '/v1/workspaces',
    async handler({ context, body }) {
      const input = parseInput(createSchema, await body());
      const record: WorkspaceRecord = { id: input.id, name: input.name, metadata: input.metadata ?? {} };
      const created = await context.control.putIfAbsent({ kind: ACCESS_KINDS.workspace, id: input.id, data: recordToData(record) });
      if (created === undefined) throw new ConflictError(`A workspace with id ${JSON.stringify(input.id)} exists.`, 'workspace_exists');
      const after = presentWorkspace(created);
      await writeAudit(context, { action: 'create', resource: { kind: 'workspace', id: input.id }, after });
      return jsonResponse(after, 201);
    },
  },
  {
    method: 'GET',
    path: '/v1/workspaces',
    async handler({ context, query }) {
      const page = await listItems(context.control, ACCESS_KINDS.workspace, readPageRequest(query));
      return listResponse(page.items.map(presentWorkspace), page.cursor);
    },
  },
  {
    method: 'GET',
    path: '/v1/workspaces/{id}',
    async handler({ context, params }) {
      const item = await context.control.get(ACCESS_KINDS.workspace, params.id ?? '');
      if (item === undefined) throw notFound(params.id ?? '')();
      return jsonResponse(presentWorkspace(item));
    },
  },
  {
    method: 'PATCH',
    path: '/v1/workspaces/{id}',
    async handler({ context, params, body }) {
      const id = params.id ?? '';
      const input = parseInput(patchSchema, await body());
      const { before, after } = await updateVersioned(context.control, ACCESS_KINDS.workspace, id, notFound(id), (item) => {
        const workspace = readWorkspace(item);
        if (workspace.deleting === true) throw new ConflictError(`Workspace ${JSON.stringify(id)} is being deleted.`, 'workspace_deleting');
        return recordToData({ ...workspace, name: input.name ?? workspace.name, metadata: input.metadata ?? workspace.metadata });
      });
      const presented = presentWorkspace(after);
      await writeAudit(context, { action: 'update', resource: { kind: 'workspace', id }, before: presentWorkspace(before), after: presented });
      return jsonResponse(presented);
    },
  },
  {
    method: 'DELETE',
    path: '/v1/workspaces/{id}',
    async handler({ context, params }) {
      const id = params.id ?? '';
      // Mark first, then look for users: anything created after the mark sees it and backs out,
      // anything created before it is found by the search.
      const marked = await updateVersioned(context.control, ACCESS_KINDS.workspace, id, notFound(id), (item) =>
        recordToData({ ...readWorkspace(item), deleting: true }),
      );
      const user = await findWorkspaceUser(context, id);
      if (user !== undefined) {
        await updateVersioned(context.control, ACCESS_KINDS.workspace, id, notFound(id), (item) => {
          const { deleting: _deleting, ...workspace } = readWorkspace(item);
          return recordToData(workspace);
        }).catch(() => undefined);
        throw new ConflictError(`Workspace ${JSON.stringify(id)} is still in use (${user}); delete or move what uses it first.`, 'workspace_in_use');
      }
      if (!(await context.control.delete(ACCESS_KINDS.workspace, id, marked.after.version))) {
        throw new ConflictError(`Workspace ${JSON.stringify(id)} changed while it was being deleted; retry.`, 'version_conflict');
      }
      await writeAudit(context, { action: 'delete', resource: { kind: 'workspace', id }, before: presentWorkspace(marked.before) });
      return noContent();
    },
  },
];
