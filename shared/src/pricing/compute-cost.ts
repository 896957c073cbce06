import type { Usage } from '../core/usage.ts';
import { findModelPrice, type PriceTable } from './price-table.ts';

/** What one request cost in USD; `unknownModel` when the table had no price (the cost is then 0). */
export interface RequestCost {
  cost: number;
  unknownModel: boolean;
}

const PER_MILLION = 1_000_000;

/** Money adds up in float; rounding to a billionth of a dollar keeps sums and counters exact enough to compare. */
export function roundUsd(amount: number): number {
  return Math.round(amount * 1e9) / 1e9;
}

/**
 * The USD cost of a request from the usage its provider reported. Prompt tokens include the
 * cached and cache-written ones (every provider module maps them that way), so those are
 * priced at their own rates and the rest at the input rate. Unknown models cost 0 and are
 * flagged, never refused: a missing price must not take traffic down.
 */
export function computeRequestCost(table: PriceTable, provider: string | undefined, model: string | undefined, usage: Usage | undefined): RequestCost {
  if (usage === undefined) return { cost: 0, unknownModel: false };
  const price = provider === undefined || model === undefined ? undefined : findModelPrice(table, provider, model);
  if (price === undefined) return { cost: 0, unknownModel: true };
  const input = price.input ?? 0;
  const cached = usage.cachedPromptTokens ?? 0;
  const written = usage.cacheWritePromptTokens ?? 0;
  const plain = Math.max(0, usage.promptTokens - cached - written);
  const micro =
    plain * input + cached * (price.cachedInput ?? input) + written * (price.cacheWrite ?? input) + usage.completionTokens * (price.output ?? 0);
  return { cost: roundUsd(micro / PER_MILLION), unknownModel: false };
}

/** The most a request can cost: its prompt and `max_tokens` at the model's rates (input and output). */
export function worstCaseCost(table: PriceTable, provider: string | undefined, model: string | undefined, promptTokens: number, maxOutputTokens: number): number {
  const price = provider === undefined || model === undefined ? undefined : findModelPrice(table, provider, model);
  if (price === undefined) return 0;
  return roundUsd((promptTokens * (price.input ?? 0) + maxOutputTokens * (price.output ?? 0)) / PER_MILLION);
}
