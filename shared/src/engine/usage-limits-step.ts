import { BudgetExceededError } from '../budgets/budget-exceeded-error.ts';
import { budgetCounterKey, budgetPeriodBounds } from '../budgets/budget-period.ts';
import { DEFAULT_MAX_OUTPUT_TOKENS, estimatePromptTokens, maxOutputTokens } from '../budgets/estimate-request-tokens.ts';
import { planBudgetCharges } from '../budgets/plan-budget-charges.ts';
import { reserveCharges } from '../budgets/reserve-charges.ts';
import { settleCharges } from '../budgets/settle-charges.ts';
import type { JsonObject } from '../core/json.ts';
import type { Usage } from '../core/usage.ts';
import type { CallerIdentity } from '../keys/access-records.ts';
import type { BudgetAlertSink } from '../ports/budget-alert-sink.ts';
import type { CounterCharge } from '../ports/counter-charge.ts';
import { computeRequestCost, worstCaseCost, type RequestCost } from '../pricing/compute-cost.ts';
import { loadShippedPriceTable, mergePriceTables, type PriceTable } from '../pricing/price-table.ts';
import { planRateLimitCharges } from '../ratelimit/plan-rate-limit-charges.ts';
import { RateLimitExceededError } from '../ratelimit/rate-limit-exceeded-error.ts';
import { type RateLimitState, rateCounterKey, rateLimitHeaders, rateWindowStart, secondsUntilWindowEnd } from '../ratelimit/rate-limit-window.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { LimitDefinitions } from './limit-definitions.ts';
import type { PreparedRequest } from './prepare-request.ts';

/** Operator settings of cost, budgets and rate limits; every field has a default. */
export interface UsageLimitSettings {
  /** Prices that replace or add to the shipped table's, model by model. @default none */
  priceOverride?: PriceTable | undefined;
  /** Output tokens reserved for a request without `max_tokens`. @default 4096 */
  defaultMaxOutputTokens?: number | undefined;
  /** Where soft-threshold alerts go. @default a JSON log line on stderr */
  budgetAlerts?: BudgetAlertSink | undefined;
}

/** A JSON log line per alert: what `npm start` does, so an operator can pipe it to a webhook. */
export const LOG_BUDGET_ALERTS: BudgetAlertSink = {
  emit(alert) {
    console.warn(JSON.stringify({ level: 'WARN', message: 'budget soft threshold crossed', event: 'turnpike.budget.threshold', ...alert }));
    return Promise.resolve();
  },
};

function rateStates(charges: readonly CounterCharge[], values: readonly number[]): RateLimitState[] {
  const states: RateLimitState[] = [];
  charges.forEach((charge, index) => {
    if (charge.owner.kind === 'rate-limit' && charge.measure !== 'usd') states.push({ measure: charge.measure, limit: charge.limit, used: values[index] ?? 0 });
  });
  return states;
}

/**
 * The cost, budget and rate-limit step: `admit` reserves the request's worst case on every
 * counter that applies (one parallel batch) before routing and refuses with 429; `settle`
 * computes the actual cost from the reported usage and corrects each counter once the last
 * byte is out. Both are no-ops for callers without limits.
 */
export class UsageLimitsStep {
  readonly #runtime: GatewayRuntime;
  readonly #settings: UsageLimitSettings;
  readonly #definitions: LimitDefinitions;
  readonly #admitted = new WeakMap<PreparedRequest, CounterCharge[]>();
  readonly #pending = new Set<Promise<void>>();
  #prices: Promise<PriceTable> | undefined;

  constructor(runtime: GatewayRuntime, settings: UsageLimitSettings = {}) {
    this.#runtime = runtime;
    this.#settings = settings;
    this.#definitions = new LimitDefinitions(runtime.stores.control, () => runtime.clock.now(), runtime.settings.authCacheTtlMs ?? 5_000);
  }

  /** The shipped prices with the operator's override on top, loaded once on first use. */
  prices(): Promise<PriceTable> {
    const override = this.#settings.priceOverride;
    this.#prices ??= loadShippedPriceTable().then((shipped) => (override === undefined ? shipped : mergePriceTables(shipped, override)));
    return this.#prices;
  }

  /** Reserve before routing; throws 429 (`budget_exceeded` or `rate_limit_exceeded`) when a cap would be crossed. Returns headers for the answer. */
  async admit(prepared: PreparedRequest): Promise<Record<string, string>> {
    const identity = prepared.access?.identity;
    if (identity === undefined) return {};
    const limits = await this.#definitions.forCaller(identity);
    if (limits.rateLimits.length === 0 && limits.budgets.length === 0) return {};
    const now = this.#runtime.clock.now();
    const prompt = estimatePromptTokens(prepared.json);
    const output = maxOutputTokens(prepared.json, this.#settings.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
    const tokens = prompt + output;
    const model = typeof prepared.json?.model === 'string' ? prepared.json.model : undefined;
    const provider = prepared.portkey.provider ?? this.#runtime.settings.defaultProvider;
    const usd = limits.budgets.length === 0 ? 0 : worstCaseCost(await this.prices(), provider, model, prompt, output);
    const charges = [...planRateLimitCharges(limits.rateLimits, tokens, now), ...planBudgetCharges(limits.budgets, { tokens, usd }, now)];
    const reservation = await reserveCharges(this.#runtime.stores.counters, charges);
    if (!reservation.accepted) {
      const { refused } = reservation;
      if (refused.owner.kind === 'budget') throw new BudgetExceededError(refused.owner.id);
      const measure = refused.measure === 'tokens' ? 'tokens' : 'requests';
      const states = rateStates(charges, reservation.values).map((state) => (state.measure === measure ? { ...state, used: reservation.value } : state));
      const headers = { ...rateLimitHeaders(states, now), 'retry-after': String(secondsUntilWindowEnd(now)) };
      throw new RateLimitExceededError(refused.owner.id, measure, headers);
    }
    this.#admitted.set(prepared, charges);
    return rateLimitHeaders(rateStates(charges, reservation.values), now);
  }

  /**
   * The request's cost (0 for a cache hit, 0 and flagged for a model without a price), and
   * the settlement of its reservations started in the background (see `flush`).
   */
  settle(prepared: PreparedRequest | undefined, provider: string | undefined, model: string | undefined, usage: Usage | undefined, servedFromCache: boolean): Promise<RequestCost> {
    // Tracked from the start: pricing waits for the price table on the first request, and
    // `flush` must not return before this settlement has even begun.
    const settling = this.#settle(prepared, provider, model, usage, servedFromCache);
    const tracked = settling.then(() => undefined, () => undefined);
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
    return settling;
  }

  async #settle(prepared: PreparedRequest | undefined, provider: string | undefined, model: string | undefined, usage: Usage | undefined, servedFromCache: boolean): Promise<RequestCost> {
    const cost = servedFromCache ? { cost: 0, unknownModel: false } : computeRequestCost(await this.prices(), provider, model, usage);
    const charges = prepared === undefined ? undefined : this.#admitted.get(prepared);
    if (prepared !== undefined && charges !== undefined) {
      this.#admitted.delete(prepared);
      const tokens = servedFromCache ? 0 : (usage?.totalTokens ?? 0);
      const settling = settleCharges(
        {
          counters: this.#runtime.stores.counters,
          clock: this.#runtime.clock,
          alerts: this.#settings.budgetAlerts ?? LOG_BUDGET_ALERTS,
          onLost: (charge, delta, error) =>
            console.error(JSON.stringify({ level: 'ERROR', message: 'budget settlement lost', counter: charge.key, delta, error: String(error) })),
        },
        charges,
        { tokens, usd: cost.cost },
      );
      this.#pending.add(settling);
      void settling.finally(() => this.#pending.delete(settling));
    }
    return cost;
  }

  /**
   * The caller's own budgets (spend and what remains this period) and rate limits (use in the
   * current window), for `GET /v1/usage`. Reads straight from the counters, in one batch.
   */
  async report(identity: CallerIdentity): Promise<JsonObject> {
    const limits = await this.#definitions.forCaller(identity);
    const now = this.#runtime.clock.now();
    const budgets = limits.budgets.map((budget) => ({ budget, bounds: budgetPeriodBounds(budget.period, now) }));
    const windowStart = rateWindowStart(now);
    const keys = [
      ...budgets.map(({ budget, bounds }) => budgetCounterKey(budget.id, bounds.start)),
      ...limits.rateLimits.flatMap(({ subject }) => [rateCounterKey(subject, 'requests', windowStart), rateCounterKey(subject, 'tokens', windowStart)]),
    ];
    const values = keys.length === 0 ? new Map<string, number>() : await this.#runtime.stores.counters.getMany(keys);
    return {
      object: 'usage',
      caller: { kind: identity.kind, id: identity.id, workspace_id: identity.workspaceId ?? null },
      budgets: budgets.map(({ budget, bounds }) => {
        const spent = values.get(budgetCounterKey(budget.id, bounds.start)) ?? 0;
        return {
          budget_id: budget.id,
          unit: budget.unit,
          limit: budget.limit,
          period: budget.period,
          period_start: budget.period === 'none' ? null : new Date(bounds.start * 1000).toISOString(),
          spent,
          remaining: Math.max(0, budget.limit - spent),
        };
      }),
      rate_limits: limits.rateLimits.map(({ subject, definition }) => ({
        rate_limit_id: definition.id,
        applies_to: subject,
        requests_per_minute: definition.requestsPerMinute ?? null,
        tokens_per_minute: definition.tokensPerMinute ?? null,
        window_start: new Date(windowStart * 1000).toISOString(),
        requests_used: values.get(rateCounterKey(subject, 'requests', windowStart)) ?? 0,
        tokens_used: values.get(rateCounterKey(subject, 'tokens', windowStart)) ?? 0,
      })),
    };
  }

  /** Resolves once every settlement started so far has ended (Lambda awaits it before freezing; tests too). */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}

/** The response with the rate-limit headers of its admission added. */
export function withHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
