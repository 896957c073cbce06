import { describe, expect, it } from 'vitest';
import { computeRequestCost, worstCaseCost } from '../../../shared/src/pricing/compute-cost.ts';
import { findModelPrice, loadShippedPriceTable, mergePriceTables, parsePriceTable } from '../../../shared/src/pricing/price-table.ts';

const table = parsePriceTable({ date: '2026-01-01', providers: { openai: { 'gpt-x': { input: 2, output: 8, cachedInput: 0.5 } }, anthropic: { claude: { input: 3, output: 15, cachedInput: 0.3, cacheWrite: 3.75 } } } });

describe('computeRequestCost', () => {
  it('prices input, output and cached input per million tokens', () => {
    // 1000 prompt tokens of which 400 cached: 600 × 2 + 400 × 0.5 + 100 × 8 = 2200 µ$ per million.
    expect(computeRequestCost(table, 'openai', 'gpt-x', { promptTokens: 1000, completionTokens: 100, totalTokens: 1100, cachedPromptTokens: 400 })).toEqual({ cost: 0.0022, unknownModel: false });
  });

  it('prices cache writes at their own rate', () => {
    const usage = { promptTokens: 2000, completionTokens: 0, totalTokens: 2000, cachedPromptTokens: 1000, cacheWritePromptTokens: 1000 };
    expect(computeRequestCost(table, 'anthropic', 'claude', usage).cost).toBeCloseTo((1000 * 0.3 + 1000 * 3.75) / 1e6, 12);
  });

  it('costs 0 and flags an unknown model instead of failing', () => {
    expect(computeRequestCost(table, 'openai', 'nope', { promptTokens: 5, completionTokens: 5, totalTokens: 10 })).toEqual({ cost: 0, unknownModel: true });
    expect(computeRequestCost(table, 'mock', 'gpt-x', { promptTokens: 5, completionTokens: 5, totalTokens: 10 }).unknownModel).toBe(true);
  });

  it('costs nothing without usage', () => {
    expect(computeRequestCost(table, 'openai', 'gpt-x', undefined)).toEqual({ cost: 0, unknownModel: false });
  });

  it('prices the worst case from prompt and max output tokens', () => {
    expect(worstCaseCost(table, 'openai', 'gpt-x', 1000, 1000)).toBe(0.01);
    expect(worstCaseCost(table, 'openai', 'unknown', 1000, 1000)).toBe(0);
  });
});

describe('price table', () => {
  it('ships dated prices for supported providers in USD per million tokens', async () => {
    const SHIPPED_PRICE_TABLE = await loadShippedPriceTable();
    expect(SHIPPED_PRICE_TABLE.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(findModelPrice(SHIPPED_PRICE_TABLE, 'openai', 'gpt-4o')).toMatchObject({ input: 2.5, output: 10, cachedInput: 1.25 });
    expect(Object.keys(SHIPPED_PRICE_TABLE.providers)).toEqual(expect.arrayContaining(['openai', 'anthropic', 'bedrock', 'google', 'groq']));
  });

  it('finds a model named with its provider prefix', () => {
    expect(findModelPrice(table, 'openai', 'openai/gpt-x')).toMatchObject({ input: 2 });
  });

  it('lets an override replace and add models', () => {
    const merged = mergePriceTables(table, parsePriceTable({ date: '2026-02-01', providers: { openai: { 'gpt-x': { input: 1, output: 1 } }, mock: { m: { input: 1 } } } }));
    expect(findModelPrice(merged, 'openai', 'gpt-x')).toEqual({ input: 1, output: 1 });
    expect(findModelPrice(merged, 'mock', 'm')).toEqual({ input: 1 });
    expect(findModelPrice(merged, 'anthropic', 'claude')).toMatchObject({ input: 3 });
  });

  it('rejects a malformed override with the path of the fault', () => {
    expect(() => parsePriceTable({ providers: { openai: { 'gpt-x': { input: -1 } } } })).toThrow('providers.openai.gpt-x.input');
  });
});
