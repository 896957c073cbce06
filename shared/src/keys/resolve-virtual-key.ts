import { AuthenticationError, PermissionDeniedError } from '../core/gateway-error.ts';
import type { AccessReads } from './access-reads.ts';
import type { CallerIdentity, VirtualKeyRecord } from './access-records.ts';
import { assertScopeAllows, scopeAllows } from './access-scopes.ts';

/**
 * The virtual key a target names, checked for this caller: in the caller's virtual_keys scope
 * (403 `scope_denied`, decided before any read so it reveals nothing), existing in the
 * caller's workspace (401 `virtual_key_not_found`: another workspace's key looks absent), and
 * enabled (403 `virtual_key_disabled`). The secret is read separately, after every check.
 */
export async function resolveVirtualKey(
  access: Pick<AccessReads, 'lookupVirtualKey'>,
  identity: CallerIdentity,
  id: string,
): Promise<VirtualKeyRecord> {
  assertScopeAllows(identity, 'virtualKeys', id);
  const record = await access.lookupVirtualKey(id);
  if (record === undefined || (identity.workspaceId !== undefined && record.workspaceId !== identity.workspaceId)) {
    throw new AuthenticationError(`Virtual key ${JSON.stringify(id)} was not found.`, 'virtual_key_not_found');
  }
  if (record.status !== 'active') {
    throw new PermissionDeniedError(`Virtual key ${JSON.stringify(id)} is disabled.`, 'virtual_key_disabled');
  }
  return record;
}

/** 403 `model_not_allowed` unless the virtual key's allowed models (trailing `*` allowed) include `model`. */
export function assertVirtualKeyAllowsModel(record: VirtualKeyRecord, model: string): void {
  if (!scopeAllows(record.allowedModels, model)) {
    throw new PermissionDeniedError(
      `Virtual key ${JSON.stringify(record.id)} may not be used with model ${JSON.stringify(model)}: it is not in the key's allowed models.`,
      'model_not_allowed',
    );
  }
}
