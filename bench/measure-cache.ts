import { type LatencySummary, summarizeLatencies } from './latency-statistics.ts';
import { type LoadTarget, runLoad } from './load-generator.ts';

/** Turnpike's response cache, measured on the local server (its Cache table on in-memory dynalite). */
export interface CacheMeasurement {
  /** Every request answered from the cache (the same request over and over). */
  hit: LatencySummary;
  /** Distinct requests, cache off: the baseline for `miss`. */
  uncached: LatencySummary;
  /** Distinct requests, cache on: each is a lookup that misses, the upstream call, then a write after the response. */
  miss: LatencySummary;
}

const CACHE_CONFIG = JSON.stringify({ cache: { mode: 'simple' } });
const HIT_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say the sentence about the fox, from the cache.' }] });

let distinct = 0;
/** A body no earlier request sent, so the cache cannot have its answer. */
function distinctBody(): string {
  distinct += 1;
  return JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: `Say the sentence about the fox, take ${distinct}.` }] });
}

/**
 * Measure the cache through `target` (Turnpike's load target): hits of one stored answer,
 * then misses against requests without the cache in interleaved rounds, so the difference
 * is what consulting and filling the cache adds to a request the cache cannot answer.
 */
export async function measureCache(target: LoadTarget, requests: number, rounds: number): Promise<CacheMeasurement> {
  const cached: LoadTarget = { ...target, name: `${target.name}, cache on`, headers: { ...target.headers, 'x-portkey-config': CACHE_CONFIG } };
  // The first request stores the answer after it is sent; give the write a moment before timing hits.
  await runLoad({ target: cached, body: HIT_BODY, stream: false, requests: 1, concurrency: 1 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  await runLoad({ target: cached, body: HIT_BODY, stream: false, requests: Math.max(50, Math.round(requests / 10)), concurrency: 1 });
  const hit = await runLoad({ target: cached, body: HIT_BODY, stream: false, requests, concurrency: 1 });

  const uncached: number[] = [];
  const miss: number[] = [];
  const perRound = Math.max(1, Math.floor(requests / rounds));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [target, cached] : [cached, target];
    for (const each of order) {
      const result = await runLoad({ target: each, body: distinctBody, stream: false, requests: perRound, concurrency: 1 });
      (each === target ? uncached : miss).push(...result.latenciesMs);
    }
  }
  return { hit: summarizeLatencies(hit.latenciesMs), uncached: summarizeLatencies(uncached), miss: summarizeLatencies(miss) };
}
