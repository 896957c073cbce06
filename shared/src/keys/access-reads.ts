import type { Clock } from '../ports/clock.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { CounterStore } from '../ports/counter-store.ts';
import type { KeyVault } from '../ports/key-vault.ts';
import { createAccessCache } from './access-cache.ts';
import { parseApiKeyRecord, parsePrincipalRecord, parseVirtualKeyRecord } from './access-record-codec.ts';
import { ACCESS_KINDS, type ApiKeyRecord, type PrincipalRecord, type VirtualKeyRecord } from './access-records.ts';
import { virtualKeyLastUsedCounter } from './access-stores.ts';
import { gatewayKeyHashMatches, hashGatewayKey, looksLikeGatewayKey } from './gateway-key-secret.ts';
import { arnMatchesPattern, arnPatternSpecificity } from './principal-arn-pattern.ts';

/** The look-ups the gateway makes on every request, each cached for a few seconds. */
export interface AccessReads {
  /** The key whose hash matches `secret` (revoked and expired ones included: the caller decides), or undefined. */
  findApiKey(secret: string): Promise<ApiKeyRecord | undefined>;
  /** The principal whose ARN pattern matches the caller's ARN (the most specific one), or undefined. */
  findPrincipal(arn: string): Promise<PrincipalRecord | undefined>;
  /** A virtual key's record, or undefined. */
  lookupVirtualKey(id: string): Promise<VirtualKeyRecord | undefined>;
  /** A virtual key's provider secret from the vault (which keeps its own cache). Never log it. */
  getVirtualKeySecret(id: string): Promise<string | undefined>;
  /** Note that a virtual key was used: recorded at most once a minute, in the background, never failing. */
  noteVirtualKeyUsed(id: string): void;
}

export interface AccessReadsOptions {
  /** Where virtual keys' last use is recorded (the gateway cannot write Control). */
  counters?: CounterStore;
  /** How long a look-up is reused (TURNPIKE_AUTH_CACHE_TTL_MS); at most 10 s. @default 5_000 */
  cacheTtlMs?: number;
  /** How long a "not found" is reused. @default a fifth of cacheTtlMs */
  negativeCacheTtlMs?: number;
  /** Most entries per cache. @default 1_000 */
  maxCacheEntries?: number;
}

const MINUTE_MS = 60_000;
/** A last-used time that nobody refreshes for this long is forgotten (the counter expires). */
const LAST_USED_RETENTION_SECONDS = 400 * 24 * 60 * 60;
const MAX_PRINCIPAL_PAGES = 50;

interface FoundApiKey {
  record: ApiKeyRecord;
  storedHash: string;
}

/**
 * The gateway's side of the access model: look-ups of keys, principals and virtual keys over
 * the Control table and the key vault, cached so that answers are at most `cacheTtlMs` old (a
 * revocation, rotation or scope edit reaches every warm Lambda container within that bound).
 * Kept apart from the admin writes so the gateway bundle carries none of them.
 */
export function createAccessReads(
  control: ControlStore,
  vault: KeyVault,
  clock: Pick<Clock, 'now'>,
  options: AccessReadsOptions = {},
): AccessReads {
  const cacheOptions = { ttlMs: options.cacheTtlMs, negativeTtlMs: options.negativeCacheTtlMs, maxEntries: options.maxCacheEntries, clock };
  const apiKeys = createAccessCache<FoundApiKey>(cacheOptions);
  const virtualKeys = createAccessCache<VirtualKeyRecord>(cacheOptions);
  const principals = createAccessCache<PrincipalRecord[]>({ ...cacheOptions, maxEntries: 1 });
  const lastNoted = new Map<string, number>();
  const maxNoted = options.maxCacheEntries ?? 1_000;

  async function loadPrincipals(): Promise<PrincipalRecord[]> {
    const all: PrincipalRecord[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PRINCIPAL_PAGES; page++) {
      const listed = await control.list(ACCESS_KINDS.principal, { limit: 1000, cursor });
      for (const item of listed.items) {
        const record = parsePrincipalRecord(item.data);
        if (record !== undefined) all.push(record);
      }
      cursor = listed.cursor;
      if (cursor === undefined) break;
    }
    return all;
  }

  async function recordLastUse(id: string, minute: number): Promise<void> {
    const counters = options.counters;
    if (counters === undefined) return;
    const name = virtualKeyLastUsedCounter(id);
    const current = await counters.get(name);
    if (current >= minute) return;
    // The ceiling keeps two containers racing from pushing the time past `minute`.
    await counters.add(name, minute - current, { ceiling: minute, expiresAt: Math.floor(clock.now() / 1000) + LAST_USED_RETENTION_SECONDS });
  }

  return {
    async findApiKey(secret) {
      if (!looksLikeGatewayKey(secret)) return undefined;
      const hash = hashGatewayKey(secret);
      const found = await apiKeys.get(hash, async () => {
        const item = await control.get(ACCESS_KINDS.apiKey, hash);
        const record = item === undefined ? undefined : parseApiKeyRecord(item.data);
        return item === undefined || record === undefined ? undefined : { record, storedHash: item.id };
      });
      return found !== undefined && gatewayKeyHashMatches(secret, found.storedHash) ? found.record : undefined;
    },
    async findPrincipal(arn) {
      const all = (await principals.get('all', loadPrincipals)) ?? [];
      let best: PrincipalRecord | undefined;
      for (const principal of all) {
        if (!arnMatchesPattern(arn, principal.arnPattern)) continue;
        if (best === undefined || arnPatternSpecificity(principal.arnPattern) > arnPatternSpecificity(best.arnPattern)) best = principal;
      }
      return best;
    },
    lookupVirtualKey(id) {
      return virtualKeys.get(id, async () => {
        const item = await control.get(ACCESS_KINDS.virtualKey, id);
        return item === undefined ? undefined : parseVirtualKeyRecord(item.data);
      });
    },
    getVirtualKeySecret(id) {
      return vault.get(id);
    },
    noteVirtualKeyUsed(id) {
      const minute = Math.floor(clock.now() / MINUTE_MS) * MINUTE_MS;
      if (lastNoted.get(id) === minute) return;
      lastNoted.delete(id);
      lastNoted.set(id, minute);
      if (lastNoted.size > maxNoted) lastNoted.delete(lastNoted.keys().next().value as string);
      // Bookkeeping only: a failure here must never reach the request.
      recordLastUse(id, minute).catch(() => undefined);
    },
  };
}
