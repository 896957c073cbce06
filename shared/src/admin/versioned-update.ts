import type { JsonObject } from '../core/json.ts';
import type { ControlItem, ControlStore } from '../ports/control-store.ts';
import { ConflictError } from './admin-errors.ts';

export interface VersionedUpdate {
  before: ControlItem;
  after: ControlItem;
}

/**
 * Read, change, and write back only if nobody wrote in between (`putIfVersion`). A lost race is
 * retried once on a fresh read; a second loss is a 409. `change` may throw (404, 409, 400) and
 * is called again on the retry, so it must only compute.
 */
export async function updateVersioned(
  control: ControlStore,
  kind: string,
  id: string,
  notFound: () => Error,
  change: (item: ControlItem) => JsonObject,
): Promise<VersionedUpdate> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const before = await control.get(kind, id);
    if (before === undefined) throw notFound();
    const data = change(before);
    const after = await control.putIfVersion(
      { kind, id, data, ...(before.expiresAt === undefined ? {} : { expiresAt: before.expiresAt }) },
      before.version,
    );
    if (after !== undefined) return { before, after };
  }
  throw new ConflictError(`Another change to ${kind} ${JSON.stringify(id)} happened at the same time; read it again and retry.`, 'version_conflict');
}
