import { type LatencySummary, summarizeLatencies } from './latency-statistics.ts';
import { type LoadTarget, runLoad } from './load-generator.ts';
import { requestBody } from './measure-scenarios.ts';
import { type CpuPerRequest, type ProcessCpu, cpuPerRequest } from './process-cpu.ts';

/** Turnpike with its stored request log on and off, one request at a time. */
export interface RequestLoggingMeasurement {
  /** Every request written to the Logs table (in-memory dynalite) after its response. */
  on: LatencySummary;
  /** TURNPIKE_STORE_REQUEST_LOGS=false. */
  off: LatencySummary;
  /** CPU time each server spent per request, when its process could be read. */
  cpu?: { on: CpuPerRequest; off: CpuPerRequest } | undefined;
}

/** Reads a server's CPU time so far (see readProcessCpu). */
export type CpuReader = () => ProcessCpu;

// The log is written in batches up to 50 ms after a request: a round's CPU reading waits for
// its last batch, so that it is counted with the round that caused it.
const SETTLE_MS = 200;

/**
 * Measure what storing the request log adds to a request: the same non-streaming requests
 * against two local servers, one writing logs and one not, in interleaved rounds (the order
 * flips each round) so drift of the machine is shared. The write happens after the response,
 * so the difference is what it costs the next request. With `cpu`, each server's CPU time
 * over its rounds is reported per request too, a steadier figure than latency on a busy machine.
 */
export async function measureRequestLogging(
  logsOn: LoadTarget,
  logsOff: LoadTarget,
  requests: number,
  rounds: number,
  cpu?: { on: CpuReader; off: CpuReader },
): Promise<RequestLoggingMeasurement> {
  const on: number[] = [];
  const off: number[] = [];
  const spans = { on: [] as { before: ProcessCpu; after: ProcessCpu }[], off: [] as { before: ProcessCpu; after: ProcessCpu }[] };
  const perRound = Math.max(1, Math.floor(requests / rounds));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [logsOn, logsOff] : [logsOff, logsOn];
    for (const target of order) {
      const which = target === logsOn ? 'on' : 'off';
      const before = cpu?.[which]();
      const result = await runLoad({ target, body: requestBody(false), stream: false, requests: perRound, concurrency: 1 });
      (which === 'on' ? on : off).push(...result.latenciesMs);
      if (cpu !== undefined && before !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        spans[which].push({ before, after: cpu[which]() });
      }
    }
  }
  return {
    on: summarizeLatencies(on),
    off: summarizeLatencies(off),
    cpu: cpu === undefined ? undefined : { on: cpuPerRequest(spans.on, on.length), off: cpuPerRequest(spans.off, off.length) },
  };
}
