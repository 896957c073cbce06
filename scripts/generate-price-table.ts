/**
 * Generates shared/src/pricing/model-prices.json from a checkout of the MIT-licensed
 * Portkey-AI/models price files (cents per token). Run by hand when prices change:
 *   npx tsx scripts/generate-price-table.ts <price folder> <date YYYY-MM-DD>
 * Nothing reads the source folder at build, run or test time; only the generated file ships.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Providers Turnpike routes to that have a price file; the file name is the provider id. */
const PROVIDERS = [
  'openai', 'azure-openai', 'anthropic', 'bedrock', 'google', 'cohere', 'groq', 'together-ai', 'mistral-ai', 'cerebras',
  'openrouter', 'x-ai', 'deepinfra', 'fireworks-ai', 'perplexity-ai', 'workers-ai', 'deepseek',
] as const;

const CENTS_PER_TOKEN_TO_USD_PER_MILLION = 1_000_000 / 100;

interface GeneratedPrice {
  input?: number;
  output?: number;
  cachedInput?: number;
  cacheWrite?: number;
  image?: number;
  second?: number;
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

function priceOf(value: unknown): number | undefined {
  const price = record(value)?.price;
  return typeof price === 'number' && Number.isFinite(price) ? price : undefined;
}

/** Float noise from the unit change (0.00025 × 10⁴) would make the file diff on every run. */
const round = (value: number): number => Number(value.toPrecision(10));

function convert(entry: unknown): GeneratedPrice | undefined {
  const payAsYouGo = record(record(record(entry)?.pricing_config)?.pay_as_you_go);
  if (payAsYouGo === undefined) return undefined;
  const result: GeneratedPrice = {};
  const perToken = { input: 'request_token', output: 'response_token', cachedInput: 'cache_read_input_token', cacheWrite: 'cache_write_input_token' } as const;
  for (const [field, source] of Object.entries(perToken) as [keyof typeof perToken, string][]) {
    const cents = priceOf(payAsYouGo[source]);
    if (cents !== undefined) result[field] = round(cents * CENTS_PER_TOKEN_TO_USD_PER_MILLION);
  }
  // Images are priced per image in cents, by quality then size: keep the default one.
  const image = record(payAsYouGo.image);
  const imageCents = priceOf(record(image?.default)?.default);
  if (imageCents !== undefined) result.image = round(imageCents / 100);
  const secondCents = priceOf(record(payAsYouGo.additional_units)?.video_seconds);
  if (secondCents !== undefined) result.second = round(secondCents / 100);
  return Object.keys(result).length === 0 ? undefined : result;
}

function main(): void {
  const [folder, date] = process.argv.slice(2);
  if (folder === undefined || date === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new Error('usage: generate-price-table.ts <price folder> <YYYY-MM-DD>');
  }
  const providers: Record<string, Record<string, GeneratedPrice>> = {};
  for (const provider of PROVIDERS) {
    const source = JSON.parse(readFileSync(join(folder, `${provider}.json`), 'utf8')) as Record<string, unknown>;
    const models: Record<string, GeneratedPrice> = {};
    for (const model of Object.keys(source).sort()) {
      if (model === 'default') continue;
      const price = convert(source[model]);
      if (price !== undefined) models[model] = price;
    }
    providers[provider] = models;
  }
  const table = {
    date,
    source: 'Portkey-AI/models (MIT), see docs/THIRD_PARTY.md',
    units: 'USD per million tokens (input, output, cachedInput, cacheWrite); USD per image (image); USD per second (second)',
    providers,
  };
  writeFileSync(new URL('../shared/src/pricing/model-prices.json', import.meta.url), `${JSON.stringify(table)}\n`);
}

main();
