import { isJsonObject } from '../core/json.ts';
import { ACCESS_KINDS } from '../keys/access-records.ts';
import type { ControlItem } from '../ports/control-store.ts';
import { invalidField } from './admin-errors.ts';
import { listItems, listResponse, readPageRequest } from './admin-listing.ts';
import type { AdminRoute } from './admin-route.ts';
import { type AuditResourceKind, presentAudit } from './audit-log.ts';

const RESOURCE_KINDS: readonly AuditResourceKind[] = ['workspace', 'key', 'virtual-key', 'principal', 'config', 'guardrail'];

function isResourceKind(value: string): value is AuditResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(value);
}

function resourceOf(item: ControlItem): { kind?: unknown; id?: unknown } {
  return isJsonObject(item.data.resource) ? item.data.resource : {};
}

/** `GET /v1/audit`: audit records newest first, optionally of one resource kind and id. */
export const auditRoutes: AdminRoute[] = [
  {
    method: 'GET',
    path: '/v1/audit',
    async handler({ context, query }) {
      const kind = query.get('resource_kind') ?? undefined;
      const id = query.get('resource_id') ?? undefined;
      if (kind !== undefined && !isResourceKind(kind)) {
        throw invalidField('resource_kind', `expected one of ${RESOURCE_KINDS.map((name) => JSON.stringify(name)).join(', ')}`);
      }
      const filtered = kind !== undefined || id !== undefined;
      const keep = (item: ControlItem): boolean => {
        const resource = resourceOf(item);
        return (kind === undefined || resource.kind === kind) && (id === undefined || resource.id === id);
      };
      const page = await listItems(context.control, ACCESS_KINDS.audit, readPageRequest(query), filtered ? { keep } : {});
      return listResponse(page.items.map((item) => presentAudit(item.data)), page.cursor);
    },
  },
];
