import { BUDGET_KIND, type BudgetDefinition, parseBudgetDefinition } from '../budgets/budget-definition.ts';
import type { CallerIdentity } from '../keys/access-records.ts';
import type { ControlStore } from '../ports/control-store.ts';
import type { AppliedRateLimit } from '../ratelimit/plan-rate-limit-charges.ts';
import { RATE_LIMIT_KIND, type RateLimitDefinition, parseRateLimitDefinition, workspaceLimitId } from '../ratelimit/rate-limit-definition.ts';

/** The limits that apply to one caller: its own (by `rateLimitId` / `budgetId`) and its workspace's. */
export interface CallerLimits {
  rateLimits: AppliedRateLimit[];
  budgets: BudgetDefinition[];
}

type Definition = { kind: 'rate'; value: RateLimitDefinition } | { kind: 'budget'; value: BudgetDefinition } | undefined;

/**
 * Reads budget and rate-limit definitions through a short in-memory cache (absent ones too), so
 * a hot key pays no Control read per request; an admin change shows within the TTL.
 */
export class LimitDefinitions {
  readonly #control: ControlStore;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, { at: number; value: Promise<Definition> }>();

  constructor(control: ControlStore, now: () => number, ttlMs = 5_000) {
    this.#control = control;
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  #read(kind: string, id: string): Promise<Definition> {
    const cacheKey = `${kind}\u0000${id}`;
    const now = this.#now();
    const cached = this.#entries.get(cacheKey);
    if (cached !== undefined && now - cached.at < this.#ttlMs) return cached.value;
    const value = this.#control.get(kind, id).then((item): Definition => {
      if (item === undefined) return undefined;
      if (kind === RATE_LIMIT_KIND) return { kind: 'rate', value: parseRateLimitDefinition(id, item.data) };
      const budget = parseBudgetDefinition(id, item.data);
      return budget === undefined ? undefined : { kind: 'budget', value: budget };
    });
    // A failed read is not kept: the next request tries again.
    value.catch(() => this.#entries.delete(cacheKey));
    this.#entries.set(cacheKey, { at: now, value });
    return value;
  }

  /** Forget cached definitions. */
  clear(): void {
    this.#entries.clear();
  }

  /** One budget by id (a virtual key's); undefined when it is absent or malformed. */
  async budget(id: string): Promise<BudgetDefinition | undefined> {
    const definition = await this.#read(BUDGET_KIND, id);
    return definition?.kind === 'budget' ? definition.value : undefined;
  }

  /** The caller's limits, read in parallel (nothing is read for a caller without references or workspace). */
  async forCaller(identity: CallerIdentity): Promise<CallerLimits> {
    const workspace = identity.workspaceId === undefined ? undefined : workspaceLimitId(identity.workspaceId);
    const none = Promise.resolve<Definition>(undefined);
    if (identity.rateLimitId === undefined && identity.budgetId === undefined && workspace === undefined) return { rateLimits: [], budgets: [] };
    const [keyRate, workspaceRate, keyBudget, workspaceBudget] = await Promise.all([
      identity.rateLimitId === undefined ? none : this.#read(RATE_LIMIT_KIND, identity.rateLimitId),
      workspace === undefined ? none : this.#read(RATE_LIMIT_KIND, workspace),
      identity.budgetId === undefined ? none : this.#read(BUDGET_KIND, identity.budgetId),
      workspace === undefined ? none : this.#read(BUDGET_KIND, workspace),
    ]);
    const rateLimits: AppliedRateLimit[] = [];
    if (keyRate?.kind === 'rate') rateLimits.push({ subject: `key:${identity.id}`, definition: keyRate.value });
    if (workspaceRate?.kind === 'rate' && identity.workspaceId !== undefined) rateLimits.push({ subject: `workspace:${identity.workspaceId}`, definition: workspaceRate.value });
    const budgets: BudgetDefinition[] = [];
    for (const budget of [keyBudget, workspaceBudget]) if (budget?.kind === 'budget') budgets.push(budget.value);
    return { rateLimits, budgets };
  }
}
