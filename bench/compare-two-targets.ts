import { type LatencySummary, summarizeLatencies } from './latency-statistics.ts';
import { type LoadTarget, runLoad } from './load-generator.ts';
import { requestBody } from './measure-scenarios.ts';

/** Latencies of two targets measured side by side. */
export interface PairedLatencies {
  first: LatencySummary;
  second: LatencySummary;
}

/**
 * The same non-streaming requests, one at a time, against two targets in interleaved rounds
 * (the order flips each round) so drift of the machine is shared: the difference of the two
 * is what the one thing that differs between them costs a request.
 */
export async function compareTwoTargets(first: LoadTarget, second: LoadTarget, requests: number, rounds: number): Promise<PairedLatencies> {
  const latencies = new Map<LoadTarget, number[]>([
    [first, []],
    [second, []],
  ]);
  const perRound = Math.max(1, Math.floor(requests / rounds));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [first, second] : [second, first];
    for (const target of order) {
      const result = await runLoad({ target, body: requestBody(false), stream: false, requests: perRound, concurrency: 1 });
      latencies.get(target)?.push(...result.latenciesMs);
    }
  }
  return { first: summarizeLatencies(latencies.get(first) ?? []), second: summarizeLatencies(latencies.get(second) ?? []) };
}
