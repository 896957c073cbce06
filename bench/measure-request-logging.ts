import { type LatencySummary, summarizeLatencies } from './latency-statistics.ts';
import { type LoadTarget, runLoad } from './load-generator.ts';
import { requestBody } from './measure-scenarios.ts';

/** Turnpike with its stored request log on and off, one request at a time. */
export interface RequestLoggingMeasurement {
  /** Every request written to the Logs table (in-memory dynalite) after its response. */
  on: LatencySummary;
  /** TURNPIKE_STORE_REQUEST_LOGS=false. */
  off: LatencySummary;
}

/**
 * Measure what storing the request log adds to a request: the same non-streaming requests
 * against two local servers, one writing logs and one not, in interleaved rounds (the order
 * flips each round) so drift of the machine is shared. The write happens after the response
 * (and, locally, in the same process as the gateway), so the difference is what it costs
 * the next request.
 */
export async function measureRequestLogging(logsOn: LoadTarget, logsOff: LoadTarget, requests: number, rounds: number): Promise<RequestLoggingMeasurement> {
  const on: number[] = [];
  const off: number[] = [];
  const perRound = Math.max(1, Math.floor(requests / rounds));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [logsOn, logsOff] : [logsOff, logsOn];
    for (const target of order) {
      const result = await runLoad({ target, body: requestBody(false), stream: false, requests: perRound, concurrency: 1 });
      (target === logsOn ? on : off).push(...result.latenciesMs);
    }
  }
  return { on: summarizeLatencies(on), off: summarizeLatencies(off) };
}
