import type { Page, PageRequest } from '../ports/page.ts';
import { parsePrincipalRecord, recordToData } from './access-record-codec.ts';
import { ACCESS_KINDS, type PrincipalRecord } from './access-records.ts';
import type { AccessStores } from './access-stores.ts';
import { isValidArnPattern } from './principal-arn-pattern.ts';

/** Fields an update may change: a value replaces, `null` removes, absent keeps. */
export type PrincipalPatch = {
  [Field in 'name' | 'arnPattern' | 'scopes' | 'metadata']?: PrincipalRecord[Field];
} & {
  [Field in 'defaultConfig' | 'rateLimitId' | 'budgetId']?: PrincipalRecord[Field] | null;
};

function checkPattern(pattern: string): void {
  if (!isValidArnPattern(pattern)) throw new RangeError(`Invalid ARN pattern "${pattern}": expected arn:partition:service:region:account:resource.`);
}

/** Register an IAM principal; undefined when the id is taken. Throws RangeError on a bad pattern. */
export async function createPrincipal(stores: AccessStores, record: PrincipalRecord): Promise<PrincipalRecord | undefined> {
  checkPattern(record.arnPattern);
  const item = await stores.control.putIfAbsent({ kind: ACCESS_KINDS.principal, id: record.id, data: recordToData(record) });
  return item === undefined ? undefined : parsePrincipalRecord(item.data);
}

/** A principal by id, or undefined. */
export async function getPrincipal(stores: AccessStores, id: string): Promise<PrincipalRecord | undefined> {
  const item = await stores.control.get(ACCESS_KINDS.principal, id);
  return item === undefined ? undefined : parsePrincipalRecord(item.data);
}

/** Principals in id order. */
export async function listPrincipals(stores: AccessStores, request: PageRequest = {}): Promise<Page<PrincipalRecord>> {
  const page = await stores.control.list(ACCESS_KINDS.principal, request);
  const items = page.items.map((item) => parsePrincipalRecord(item.data)).filter((record): record is PrincipalRecord => record !== undefined);
  return { items, cursor: page.cursor };
}

/** Change a principal; undefined when absent or raced. Throws RangeError on a bad pattern. */
export async function updatePrincipal(stores: AccessStores, id: string, patch: PrincipalPatch): Promise<PrincipalRecord | undefined> {
  if (patch.arnPattern !== undefined) checkPattern(patch.arnPattern);
  const item = await stores.control.get(ACCESS_KINDS.principal, id);
  const record = item === undefined ? undefined : parsePrincipalRecord(item.data);
  if (item === undefined || record === undefined) return undefined;
  const next: PrincipalRecord = { ...record };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.arnPattern !== undefined) next.arnPattern = patch.arnPattern;
  if (patch.scopes !== undefined) next.scopes = patch.scopes;
  if (patch.metadata !== undefined) next.metadata = patch.metadata;
  for (const field of ['defaultConfig', 'rateLimitId', 'budgetId'] as const) {
    const value = patch[field];
    if (value === null) delete next[field];
    else if (value !== undefined) next[field] = value;
  }
  const written = await stores.control.putIfVersion({ kind: ACCESS_KINDS.principal, id, data: recordToData(next) }, item.version);
  return written === undefined ? undefined : parsePrincipalRecord(written.data);
}

/** Remove a principal; false when there was none. */
export async function deletePrincipal(stores: AccessStores, id: string): Promise<boolean> {
  return stores.control.delete(ACCESS_KINDS.principal, id);
}
