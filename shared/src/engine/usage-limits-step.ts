import { BudgetExceededError } from '../budgets/budget-exceeded-error.ts';
import { DEFAULT_MAX_OUTPUT_TOKENS, estimatePromptTokens, maxOutputTokens } from '../budgets/estimate-request-tokens.ts';
import { planBudgetCharges } from '../budgets/plan-budget-charges.ts';
import { DEFAULT_RESERVATION_LEASE_SECONDS } from '../budgets/reservation-hold.ts';
import { type Reservation, reserveCharges } from '../budgets/reserve-charges.ts';
import type { SettlementQueue } from '../budgets/settlement-queue.ts';
import type { StaleHold, StaleHoldSweeper } from '../budgets/stale-hold-sweeper.ts';
import type { JsonObject } from '../core/json.ts';
import type { Usage } from '../core/usage.ts';
import type { CallerIdentity } from '../keys/access-records.ts';
import type { BudgetAlertSink } from '../ports/budget-alert-sink.ts';
import type { CounterCharge } from '../ports/counter-charge.ts';
import { computeRequestCost, roundUsd, worstCaseCost, type RequestCost } from '../pricing/compute-cost.ts';
import { loadShippedPriceTable, mergePriceTables, type PriceTable } from '../pricing/price-table.ts';
import { planRateLimitCharges } from '../ratelimit/plan-rate-limit-charges.ts';
import { RateLimitExceededError } from '../ratelimit/rate-limit-exceeded-error.ts';
import { type RateLimitState, rateLimitHeaders, secondsUntilWindowEnd } from '../ratelimit/rate-limit-window.ts';
import type { GatewayRuntime } from './gateway-runtime.ts';
import { LimitDefinitions } from './limit-definitions.ts';
import type { PreparedRequest } from './prepare-request.ts';
import { createUsageSettlements } from './usage-settlements.ts';

/** Operator settings of cost, budgets and rate limits; every field has a default. */
export interface UsageLimitSettings {
  /** Prices that replace or add to the shipped table's, model by model. @default none */
  priceOverride?: PriceTable | undefined;
  /** Output tokens reserved for a request without `max_tokens`. @default 4096 */
  defaultMaxOutputTokens?: number | undefined;
  /** Where soft-threshold alerts go. @default a JSON log line on stderr */
  budgetAlerts?: BudgetAlertSink | undefined;
  /**
   * The longest a request may run between its budget reservation and its settlement; a hold
   * slot older than this (plus its own 5 minutes) is given back. @default 1200 (seconds)
   */
  reservationLeaseSeconds?: number | undefined;
  /**
   * How long settlements wait for others on the same counter to share one write; 0 writes each
   * request's at once. The runtime's queue reads it. @default 0 (20 ms on the local server)
   */
  settleCoalesceMs?: number | undefined;
}

/** A virtual key's budget reserved for one leaf attempt: kept when that attempt is the answer, else given back. */
export interface LeafBudgetReservation {
  /** The attempt answered: settle this reservation with the request's others, after the last byte. */
  keep(): void;
  /**
   * The attempt failed (or routing moves on): give the reservation back now, less what the
   * provider's answer used when there was one (a guardrail turned it down).
   */
  giveBack(used?: Usage): Promise<void>;
}

/** An answer's usage with who produced it, which prices it. */
export interface PricedUse {
  provider: string | undefined;
  model: string | undefined;
  usage: Usage | undefined;
}

function rateStates(charges: readonly CounterCharge[], values: readonly number[]): RateLimitState[] {
  const states: RateLimitState[] = [];
  charges.forEach((charge, index) => {
    if (charge.owner.kind === 'rate-limit' && charge.measure !== 'usd') states.push({ measure: charge.measure, limit: charge.limit, used: values[index] ?? 0 });
  });
  return states;
}

/**
 * The cost, budget and rate-limit step: `admit` reserves the request's worst case on every
 * counter that applies to the caller (one parallel batch) before routing and refuses with
 * 429; a leaf whose virtual key has a budget reserves on it just before its upstream call
 * (`reserveVirtualKeyBudget`); `settle` computes the actual cost from the reported usage and
 * hands the corrections to the runtime's settlement queue once the last byte is out (merged
 * with other requests' on the same counters; `flush` writes them at once). All are no-ops
 * where no limit applies.
 * Stale hold slots that a reservation comes across are released in the background (`flush`
 * waits for them), or at once when they are why a budget refused.
 */
export class UsageLimitsStep {
  readonly #runtime: GatewayRuntime;
  readonly #settings: UsageLimitSettings;
  readonly #definitions: LimitDefinitions;
  #sweeper: Promise<StaleHoldSweeper> | undefined;
  readonly #admitted = new WeakMap<PreparedRequest, CounterCharge[]>();
  /** Virtual-key budgets held by the target that answered: they owe that answer alone. */
  readonly #kept = new WeakMap<PreparedRequest, CounterCharge[]>();
  readonly #pending = new Set<Promise<void>>();
  readonly #settlements: SettlementQueue;
  #prices: Promise<PriceTable> | undefined;

  constructor(runtime: GatewayRuntime, settings: UsageLimitSettings = {}) {
    this.#runtime = runtime;
    this.#settings = settings;
    this.#settlements = runtime.settlements ?? createUsageSettlements(runtime.stores.counters, runtime.clock, settings);
    this.#definitions = new LimitDefinitions(runtime.stores.control, () => runtime.clock.now(), runtime.settings.authCacheTtlMs ?? 5_000);
  }

  /** The shipped prices with the operator's override on top, loaded once on first use. */
  prices(): Promise<PriceTable> {
    const override = this.#settings.priceOverride;
    this.#prices ??= loadShippedPriceTable().then((shipped) => (override === undefined ? shipped : mergePriceTables(shipped, override)));
    return this.#prices;
  }

  /** Keep `work` in the set `flush` waits for; its failure is nobody's to handle. */
  #track(work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      () => undefined,
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  /** Release stale hold slots; the sweeper's code is loaded the first time a container meets one. */
  #release(stale: readonly StaleHold[]): Promise<void> {
    const counters = this.#runtime.stores.counters;
    this.#sweeper ??= import('../budgets/stale-hold-sweeper.ts').then(({ StaleHoldSweeper }) => new StaleHoldSweeper(counters));
    return this.#sweeper.then((sweeper) => sweeper.release(stale));
  }

  /** Reserve `charges`, releasing stale hold slots (at once when they block, else in the background). */
  async #reserve(charges: readonly CounterCharge[], nowMs: number): Promise<Reservation> {
    const leaseSeconds = this.#settings.reservationLeaseSeconds ?? DEFAULT_RESERVATION_LEASE_SECONDS;
    const lease = { nowMs, leaseSeconds, release: (stale: readonly StaleHold[]) => this.#release(stale) };
    // Given back at once, so no other request is refused for capacity this one will not use,
    // but the refusal does not wait for the write (`flush` does).
    const giveBack = (accepted: readonly CounterCharge[]): Promise<void> => {
      void this.#settlements.giveBack(accepted, { now: true });
      return Promise.resolve();
    };
    const reservation = await reserveCharges(this.#runtime.stores.counters, charges, lease, giveBack);
    if (reservation.stale.length > 0) this.#track(this.#release(reservation.stale));
    return reservation;
  }

  /** The request's prompt (estimated) and output cap in tokens. */
  #tokenEstimate(prepared: PreparedRequest): { prompt: number; output: number } {
    return {
      prompt: estimatePromptTokens(prepared.json),
      output: maxOutputTokens(prepared.json, this.#settings.defaultMaxOutputTokens ?? DEFAULT_MAX_OUTPUT_TOKENS),
    };
  }

  /** Reserve before routing; throws 429 (`budget_exceeded` or `rate_limit_exceeded`) when a cap would be crossed. Returns headers for the answer. */
  async admit(prepared: PreparedRequest): Promise<Record<string, string>> {
    const identity = prepared.access?.identity;
    if (identity === undefined) return {};
    const limits = await this.#definitions.forCaller(identity);
    if (limits.rateLimits.length === 0 && limits.budgets.length === 0) return {};
    const now = this.#runtime.clock.now();
    const { prompt, output } = this.#tokenEstimate(prepared);
    const tokens = prompt + output;
    const model = typeof prepared.json?.model === 'string' ? prepared.json.model : undefined;
    const provider = prepared.portkey.provider ?? this.#runtime.settings.defaultProvider;
    const usd = limits.budgets.length === 0 ? 0 : worstCaseCost(await this.prices(), provider, model, prompt, output);
    const charges = [...planRateLimitCharges(limits.rateLimits, tokens, now), ...planBudgetCharges(limits.budgets, { tokens, usd }, now)];
    const reservation = await this.#reserve(charges, now);
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
   * Reserve a virtual key's budget for one leaf attempt, after the leaf's access checks and
   * just before its upstream call, priced for the leaf's own provider and model. Throws 429
   * `budget_exceeded` naming the budget when it would be crossed (a fallback then moves on as
   * for any 429). Undefined when there is nothing to hold: the budget does not exist, or the
   * request already holds it as the caller's own.
   */
  async reserveVirtualKeyBudget(prepared: PreparedRequest, budgetId: string, provider: string, model: string | undefined): Promise<LeafBudgetReservation | undefined> {
    const held = [...(this.#admitted.get(prepared) ?? []), ...(this.#kept.get(prepared) ?? [])];
    if (held.some((charge) => charge.owner.kind === 'budget' && charge.owner.id === budgetId)) return undefined;
    const budget = await this.#definitions.budget(budgetId);
    if (budget === undefined) return undefined;
    const now = this.#runtime.clock.now();
    const { prompt, output } = this.#tokenEstimate(prepared);
    const usd = budget.unit === 'usd' ? worstCaseCost(await this.prices(), provider, model, prompt, output) : 0;
    const charges = planBudgetCharges([budget], { tokens: prompt + output, usd }, now);
    const reservation = await this.#reserve(charges, now);
    if (!reservation.accepted) throw new BudgetExceededError(budgetId);
    return {
      keep: () => {
        const kept = this.#kept.get(prepared);
        if (kept === undefined) this.#kept.set(prepared, [...charges]);
        else kept.push(...charges);
      },
      // Written at once: the next target may reserve on the same budget right after.
      giveBack: async (used) => {
        if (used === undefined) return this.#settlements.giveBack(charges, { now: true });
        const cost = computeRequestCost(await this.prices(), provider, model, used);
        return this.#settlements.settle(charges, { tokens: used.totalTokens, usd: cost.cost }, { now: true });
      },
    };
  }

  /**
   * The request's cost: its answer's (0 for a cache hit, 0 and flagged for a model without a
   * price) plus that of every answer routing moved past, which the provider produced all the
   * same. The settlement of its reservations is started in the background (see `flush`): the
   * caller's budgets and rate limits are charged the whole, a virtual key's budget its answer.
   */
  settle(prepared: PreparedRequest | undefined, answer: PricedUse, servedFromCache: boolean, abandoned: readonly PricedUse[] = []): Promise<RequestCost> {
    // Tracked from the start: pricing waits for the price table on the first request, and
    // `flush` must not return before this settlement has even begun.
    const settling = this.#settle(prepared, answer, servedFromCache, abandoned);
    this.#track(settling);
    return settling;
  }

  async #settle(prepared: PreparedRequest | undefined, answer: PricedUse, servedFromCache: boolean, abandoned: readonly PricedUse[]): Promise<RequestCost> {
    const prices = await this.prices();
    const answered = servedFromCache ? { cost: 0, unknownModel: false } : computeRequestCost(prices, answer.provider, answer.model, answer.usage);
    const answeredTokens = servedFromCache ? 0 : (answer.usage?.totalTokens ?? 0);
    let cost = answered;
    let tokens = answeredTokens;
    for (const use of abandoned) {
      const priced = computeRequestCost(prices, use.provider, use.model, use.usage);
      cost = { cost: roundUsd(cost.cost + priced.cost), unknownModel: cost.unknownModel || priced.unknownModel };
      tokens += use.usage?.totalTokens ?? 0;
    }
    if (prepared !== undefined) {
      const charges = this.#admitted.get(prepared);
      const kept = this.#kept.get(prepared);
      this.#admitted.delete(prepared);
      this.#kept.delete(prepared);
      // The queue keeps the writes (merged with others on the same counters); `flush` waits for them.
      if (charges !== undefined) void this.#settlements.settle(charges, { tokens, usd: cost.cost });
      if (kept !== undefined) void this.#settlements.settle(kept, { tokens: answeredTokens, usd: answered.cost });
    }
    return cost;
  }

  /** The caller's own budgets and rate limits with their use, for `GET /v1/usage` (its code is loaded on the first such call). */
  async report(identity: CallerIdentity): Promise<JsonObject> {
    const [limits, { usageReport }] = await Promise.all([this.#definitions.forCaller(identity), import('./usage-report.ts')]);
    return usageReport(this.#runtime.stores.counters, identity, limits, this.#runtime.clock.now());
  }

  /**
   * Writes every settlement queued so far at once, and resolves once they and every release
   * started so far have ended (Lambda awaits it before freezing; tests too).
   */
  async flush(): Promise<void> {
    do {
      while (this.#pending.size > 0) await Promise.all([...this.#pending]);
      await this.#settlements.flush();
    } while (this.#pending.size > 0);
  }
}

/** The response with the rate-limit headers of its admission added. */
export function withHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}
