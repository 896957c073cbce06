import { type LoadResult, type LoadTarget, runLoad } from './load-generator.ts';

export interface Scenario {
  name: string;
  stream: boolean;
  concurrency: number;
  /** Per target, split across the rounds. */
  requests: number;
}

const MESSAGES = [{ role: 'user', content: 'Say the sentence about the fox.' }];
const COMPLETION_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES });
const STREAM_BODY = JSON.stringify({ model: 'gpt-4o-mini', messages: MESSAGES, stream: true });

/** The chat request body a scenario sends. */
export function requestBody(stream: boolean): string {
  return stream ? STREAM_BODY : COMPLETION_BODY;
}

/** One streamed and one plain request, so a misconfigured target fails before anything is timed. */
export async function checkTarget(target: LoadTarget): Promise<void> {
  for (const stream of [false, true]) {
    await runLoad({ target, body: requestBody(stream), stream, requests: 1, concurrency: 1 });
  }
}

/** Let each process reach its steady state (JIT, connection pools) before timing it. */
export async function warmUp(target: LoadTarget, requests: number): Promise<void> {
  await runLoad({ target, body: requestBody(false), stream: false, requests, concurrency: 10 });
  await runLoad({ target, body: requestBody(false), stream: false, requests: Math.ceil(requests / 2), concurrency: 1 });
  await runLoad({ target, body: requestBody(true), stream: true, requests: Math.ceil(requests / 2), concurrency: 1 });
}

/**
 * Run a scenario against every target in `rounds` short rounds, rotating the order each
 * round, and pool the samples. Interleaving spreads slow drift of the machine (other load,
 * CPU frequency, garbage collection) over all targets instead of charging it to one.
 */
export async function measureScenario(targets: readonly LoadTarget[], scenario: Scenario, rounds: number): Promise<Map<string, LoadResult>> {
  const pooled = new Map<string, LoadResult>(targets.map((target) => [target.name, { latenciesMs: [], firstChunkMs: [], elapsedMs: 0 }]));
  const perRound = Math.max(1, Math.floor(scenario.requests / rounds));
  for (let round = 0; round < rounds; round += 1) {
    // The last round takes the remainder so each target gets exactly `requests`.
    const requests = round === rounds - 1 ? Math.max(1, scenario.requests - perRound * (rounds - 1)) : perRound;
    for (let offset = 0; offset < targets.length; offset += 1) {
      const target = targets[(round + offset) % targets.length];
      if (target === undefined) continue;
      const result = await runLoad({ target, body: requestBody(scenario.stream), stream: scenario.stream, requests, concurrency: scenario.concurrency });
      const total = pooled.get(target.name);
      if (total === undefined) continue;
      total.latenciesMs.push(...result.latenciesMs);
      total.firstChunkMs.push(...result.firstChunkMs);
      total.elapsedMs += result.elapsedMs;
    }
  }
  return pooled;
}
