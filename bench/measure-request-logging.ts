import { compareTwoTargets } from './compare-two-targets.ts';
import type { LatencySummary } from './latency-statistics.ts';
import type { LoadTarget } from './load-generator.ts';

/** Turnpike with its stored request log on and off, one request at a time. */
export interface RequestLoggingMeasurement {
  /** Every request written to the Logs table (in-memory dynalite) after its response. */
  on: LatencySummary;
  /** TURNPIKE_STORE_REQUEST_LOGS=false. */
  off: LatencySummary;
}

/**
 * Measure what storing the request log adds to a request: the same non-streaming requests
 * against two local servers, one writing logs and one not, in interleaved rounds. The write
 * happens after the response (and, locally, in the same process as the gateway), so the
 * difference is what it costs the next request.
 */
export async function measureRequestLogging(logsOn: LoadTarget, logsOff: LoadTarget, requests: number, rounds: number): Promise<RequestLoggingMeasurement> {
  const { first, second } = await compareTwoTargets(logsOn, logsOff, requests, rounds);
  return { on: first, off: second };
}
