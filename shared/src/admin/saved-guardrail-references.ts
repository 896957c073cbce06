import { SAVED_GUARDRAIL_KIND, parseSavedGuardrailRecord } from '../guardrails/saved-guardrail-record.ts';
import type { GatewayConfig, TargetConfig } from '../protocol/config-schema.ts';
import { invalidField } from './admin-errors.ts';
import type { AdminContext } from './admin-route.ts';

/** A saved guardrail a Config names by id, and the path of the list entry that names it. */
interface SavedGuardrailReference {
  id: string;
  path: string;
}

function referencesOf(target: TargetConfig, found: SavedGuardrailReference[]): SavedGuardrailReference[] {
  for (const spec of [...(target.input_guardrails ?? []), ...(target.output_guardrails ?? [])]) {
    if (spec.kind === 'saved') found.push({ id: spec.id, path: spec.path });
  }
  for (const child of target.targets ?? []) referencesOf(child, found);
  return found;
}

/**
 * Refuse a Config that names a saved guardrail which does not exist, or which belongs to
 * another workspace than the config's (the gateway would find neither and fail every request
 * that uses the config). A guardrail deleted later still fails at request time.
 */
export async function assertSavedGuardrailsExist(context: AdminContext, config: GatewayConfig, workspaceId: string | undefined): Promise<void> {
  const references = referencesOf(config, []);
  const ids = [...new Set(references.map((reference) => reference.id))];
  const items = await Promise.all(ids.map((id) => context.control.get(SAVED_GUARDRAIL_KIND, id)));
  const usable = new Set<string>();
  ids.forEach((id, index) => {
    const item = items[index];
    const record = item === undefined ? undefined : parseSavedGuardrailRecord(item.data);
    if (record === undefined) return;
    if (workspaceId === undefined || record.workspaceId === undefined || record.workspaceId === workspaceId) usable.add(id);
  });
  const missing = references.find((reference) => !usable.has(reference.id));
  if (missing === undefined) return;
  const where = workspaceId === undefined ? '' : ` in workspace ${JSON.stringify(workspaceId)}`;
  throw invalidField(`config.${missing.path}`.replace(/^config\.config\b/, 'config'), `names the saved guardrail ${JSON.stringify(missing.id)}, which does not exist${where}; create it with PUT /v1/guardrails/${missing.id} first`, 'guardrail_not_found');
}
