import { InvalidConfigError } from '../core/gateway-error.ts';
import type { Clock } from '../ports/clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { ConfigIssue } from '../protocol/describe-config-issue.ts';
import { type GuardrailDefinition, parseSavedGuardrail } from '../protocol/guardrail-config.ts';
import { parseSavedGuardrailRecord, SAVED_GUARDRAIL_KIND, type SavedGuardrailRecord } from './saved-guardrail-record.ts';

/** A saved guardrail as the gateway runs it. */
export interface SavedGuardrail {
  definition: GuardrailDefinition;
  workspaceId: string | undefined;
}

export interface SavedGuardrailReader {
  /**
   * The guardrail with this id, or undefined when none exists. Throws InvalidConfigError when the
   * stored guardrail no longer validates (saved by an older version with other rules).
   */
  get(id: string): Promise<SavedGuardrail | undefined>;
}

export interface SavedGuardrailReaderOptions {
  control: ControlStore;
  clock: Pick<Clock, 'now'>;
  /** How long an answer (found or not) is reused. @default 5_000 */
  ttlMs?: number;
  /** Most ids kept; the oldest is dropped first. @default 500 */
  maxEntries?: number;
}

function toSavedGuardrail(record: SavedGuardrailRecord): SavedGuardrail {
  const issues: ConfigIssue[] = [];
  const definition = parseSavedGuardrail(record.id, { checks: record.checks, actions: record.actions }, issues);
  if (definition === undefined) {
    const first = issues[0];
    const detail = first === undefined ? 'invalid' : `${first.path}: ${first.message}`;
    throw new InvalidConfigError(`Saved guardrail ${JSON.stringify(record.id)} is invalid: ${detail}. Save it again through the admin API.`, 'config');
  }
  return { definition, workspaceId: record.workspaceId };
}

/**
 * Saved guardrails read from the ControlStore and kept for a few seconds, validated, so a
 * guardrail used by every request costs no read per request (an edit shows within `ttlMs`, as
 * for saved configs). Concurrent look-ups of one id share one read; failed reads are not kept.
 */
export function createSavedGuardrailReader(options: SavedGuardrailReaderOptions): SavedGuardrailReader {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 500;
  const cache = new Map<string, { expiresAt: number; guardrail: Promise<SavedGuardrail | undefined> }>();

  return {
    get(id) {
      const now = options.clock.now();
      const cached = cache.get(id);
      if (cached !== undefined && cached.expiresAt > now) return cached.guardrail;
      cache.delete(id);
      const guardrail = options.control.get(SAVED_GUARDRAIL_KIND, id).then((item) => {
        const record = item === undefined ? undefined : parseSavedGuardrailRecord(item.data);
        return record === undefined ? undefined : toSavedGuardrail(record);
      });
      const entry = { expiresAt: now + ttlMs, guardrail };
      cache.set(id, entry);
      guardrail.catch(() => {
        if (cache.get(id) === entry) cache.delete(id);
      });
      // Map keeps insertion order, so the first key is the oldest entry.
      while (cache.size > maxEntries) {
        const oldest = cache.keys().next();
        if (oldest.done === true) break;
        cache.delete(oldest.value);
      }
      return guardrail;
    },
  };
}
