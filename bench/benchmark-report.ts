import type { LatencySummary } from './latency-statistics.ts';
import type { CacheMeasurement } from './measure-cache.ts';
import type { RequestLoggingMeasurement } from './measure-request-logging.ts';
import type { UsageLimitsMeasurement } from './measure-usage-limits.ts';
import type { ProcessMemory } from './server-process.ts';

export interface TargetMeasurement {
  name: string;
  /** `floor`: a bare node:http proxy, the least any Node.js gateway can add on this machine. */
  role: 'direct' | 'turnpike' | 'portkey' | 'floor';
  /** Non-streaming, one request at a time. */
  sequential: LatencySummary;
  /** Non-streaming, ten requests in flight. */
  concurrent: LatencySummary;
  /** Requests per second at concurrency 10. */
  throughput: number;
  /** Streamed, one at a time: request start until the first `data:` chunk. */
  firstChunk: LatencySummary;
  /** The gateway process after the run; absent for the direct call. */
  memory?: ProcessMemory;
}

export interface BenchmarkResults {
  date: Date;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; os: string };
  /** One-minute load average before and after the run: other work on the machine skews the figures. */
  loadAverage: { before: number; after: number };
  settings: { requests: number; streamRequests: number; rounds: number; warmUp: number };
  portkeyVersion: string;
  honoNodeServerVersion: string;
  targets: TargetMeasurement[];
  /** Minified size of the gateway Lambda bundle, or why it could not be built. */
  gatewayBundle: { bytes: number } | { error: string };
  /** Turnpike's response cache; absent when it was not measured. */
  cache?: CacheMeasurement | undefined;
  /** Turnpike with its stored request log on and off; absent when it was not measured. */
  requestLogging?: RequestLoggingMeasurement | undefined;
  /** Turnpike through a gateway key with a budget and a rate limit, and one without; absent when it was not measured. */
  usageLimits?: UsageLimitsMeasurement | undefined;
}

/** The targets, in one place so the report and the docs agree. */
export const BENCHMARK_TARGETS = {
  addedP50SequentialMs: 0.3,
  throughputRatioOverPortkey: 2,
  addedFirstChunkMs: 1,
  gatewayBundleKilobytes: 150,
  cacheHitP50Ms: 2,
  requestLogAddedP50Ms: 0.2,
  usageLimitsAddedP50Ms: 2,
} as const;

export interface TargetCheck {
  target: string;
  goal: string;
  measured: string;
  met: boolean | undefined;
}

/** Above this one-minute load average (with its own three processes) other work was competing for the CPU. */
const BUSY_LOAD_AVERAGE = 3.5;

const milliseconds = (value: number): string => `${value.toFixed(2)} ms`;
const signedMilliseconds = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)} ms`;
const requestsPerSecond = (value: number): string => `${Math.round(value).toLocaleString('en-US')} req/s`;
const mebibytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

function find(results: BenchmarkResults, role: TargetMeasurement['role']): TargetMeasurement | undefined {
  return results.targets.find((target) => target.role === role);
}

/** Whether Turnpike meets each target in this run; `met` is undefined when a figure is missing. */
export function checkTargets(results: BenchmarkResults): TargetCheck[] {
  const direct = find(results, 'direct');
  const turnpike = find(results, 'turnpike');
  const portkey = find(results, 'portkey');
  const checks: TargetCheck[] = [];

  const addedP50 = direct && turnpike ? turnpike.sequential.p50 - direct.sequential.p50 : undefined;
  checks.push({
    target: 'Added p50, non-streaming, concurrency 1',
    goal: `≤ ${BENCHMARK_TARGETS.addedP50SequentialMs} ms`,
    measured: addedP50 === undefined ? 'not measured' : signedMilliseconds(addedP50),
    met: addedP50 === undefined ? undefined : addedP50 <= BENCHMARK_TARGETS.addedP50SequentialMs,
  });

  const ratio = turnpike && portkey ? turnpike.throughput / portkey.throughput : undefined;
  checks.push({
    target: 'Throughput at concurrency 10, over Portkey in the same run',
    goal: `≥ ${BENCHMARK_TARGETS.throughputRatioOverPortkey}×`,
    measured:
      ratio === undefined || !turnpike || !portkey
        ? 'not measured'
        : `${ratio.toFixed(2)}× (${requestsPerSecond(turnpike.throughput)} vs ${requestsPerSecond(portkey.throughput)})`,
    met: ratio === undefined ? undefined : ratio >= BENCHMARK_TARGETS.throughputRatioOverPortkey,
  });

  const addedFirstChunk = direct && turnpike ? turnpike.firstChunk.p50 - direct.firstChunk.p50 : undefined;
  checks.push({
    target: 'Stream first chunk, p50, later than direct',
    goal: `≤ ${BENCHMARK_TARGETS.addedFirstChunkMs} ms`,
    measured: addedFirstChunk === undefined ? 'not measured' : signedMilliseconds(addedFirstChunk),
    met: addedFirstChunk === undefined ? undefined : addedFirstChunk <= BENCHMARK_TARGETS.addedFirstChunkMs,
  });

  const bundle = results.gatewayBundle;
  checks.push({
    target: 'Gateway bundle, minified, AWS SDK external',
    goal: `≤ ${BENCHMARK_TARGETS.gatewayBundleKilobytes} KB`,
    measured: 'bytes' in bundle ? `${kilobytes(bundle.bytes)} (${bundle.bytes.toLocaleString('en-US')} bytes)` : `not built: ${bundle.error}`,
    met: 'bytes' in bundle ? bundle.bytes <= BENCHMARK_TARGETS.gatewayBundleKilobytes * 1024 : undefined,
  });

  if (results.cache !== undefined) {
    checks.push({
      target: 'Cache hit answered, p50, local server',
      goal: `≤ ${BENCHMARK_TARGETS.cacheHitP50Ms} ms`,
      measured: milliseconds(results.cache.hit.p50),
      met: results.cache.hit.p50 <= BENCHMARK_TARGETS.cacheHitP50Ms,
    });
  }
  if (results.requestLogging !== undefined) {
    const added = results.requestLogging.on.p50 - results.requestLogging.off.p50;
    checks.push({
      target: 'Added by the stored request log, p50, concurrency 1, local server',
      goal: `≤ ${BENCHMARK_TARGETS.requestLogAddedP50Ms} ms`,
      measured: signedMilliseconds(added),
      met: added <= BENCHMARK_TARGETS.requestLogAddedP50Ms,
    });
  }
  if (results.usageLimits !== undefined) {
    const added = results.usageLimits.on.p50 - results.usageLimits.off.p50;
    checks.push({
      target: 'Added by budgets and rate limits, p50, concurrency 1, local server',
      goal: `≤ ${BENCHMARK_TARGETS.usageLimitsAddedP50Ms} ms`,
      measured: signedMilliseconds(added),
      met: added <= BENCHMARK_TARGETS.usageLimitsAddedP50Ms,
    });
  }
  return checks;
}

/** A markdown table; `numeric` columns are right-aligned (by default all but the first). */
function table(header: readonly string[], rows: readonly (readonly string[])[], numeric = (index: number) => index > 0): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const alignment = header.map((_, index) => (numeric(index) ? '---:' : '---'));
  return [line(header), line(alignment), ...rows.map(line)].join('\n');
}

/** The generated part of docs/BENCHMARKS.md (and what `npm run bench` prints). */
export function renderBenchmarkReport(results: BenchmarkResults): string {
  const { machine, settings } = results;
  const direct = find(results, 'direct');
  const gateways = results.targets.filter((target) => target.role !== 'direct');

  const figures = table(
    ['', 'p50 c=1', 'p99 c=1', 'p50 c=10', 'p99 c=10', 'Throughput c=10', 'Stream first chunk p50', 'Stream first chunk p99', 'RSS after run', 'Peak RSS'],
    results.targets.map((target) => [
      target.name,
      milliseconds(target.sequential.p50),
      milliseconds(target.sequential.p99),
      milliseconds(target.concurrent.p50),
      milliseconds(target.concurrent.p99),
      requestsPerSecond(target.throughput),
      milliseconds(target.firstChunk.p50),
      milliseconds(target.firstChunk.p99),
      target.memory ? mebibytes(target.memory.rssBytes) : '—',
      target.memory ? mebibytes(target.memory.peakRssBytes) : '—',
    ]),
  );

  const added = direct
    ? table(
        ['Added over direct', 'p50 c=1', 'p99 c=1', 'p50 c=10', 'p99 c=10', 'Stream first chunk p50'],
        gateways.map((target) => [
          target.name,
          signedMilliseconds(target.sequential.p50 - direct.sequential.p50),
          signedMilliseconds(target.sequential.p99 - direct.sequential.p99),
          signedMilliseconds(target.concurrent.p50 - direct.concurrent.p50),
          signedMilliseconds(target.concurrent.p99 - direct.concurrent.p99),
          signedMilliseconds(target.firstChunk.p50 - direct.firstChunk.p50),
        ]),
      )
    : '';

  const cache = results.cache;
  const cacheTable =
    cache === undefined
      ? ''
      : table(
          ['Response cache (Turnpike, concurrency 1)', 'p50', 'p99'],
          [
            ['Hit: answered from the cache', milliseconds(cache.hit.p50), milliseconds(cache.hit.p99)],
            ...(direct ? [['Hit, compared with calling the upstream directly', signedMilliseconds(cache.hit.p50 - direct.sequential.p50), signedMilliseconds(cache.hit.p99 - direct.sequential.p99)]] : []),
            ['Miss: distinct requests, cache on', milliseconds(cache.miss.p50), milliseconds(cache.miss.p99)],
            ['Same kind of requests, cache off', milliseconds(cache.uncached.p50), milliseconds(cache.uncached.p99)],
            ['Added by consulting the cache on a miss', signedMilliseconds(cache.miss.p50 - cache.uncached.p50), signedMilliseconds(cache.miss.p99 - cache.uncached.p99)],
          ],
        );

  const logging = results.requestLogging;
  const loggingTable =
    logging === undefined
      ? ''
      : table(
          ['Stored request log (Turnpike, concurrency 1)', 'p50', 'p99'],
          [
            ['Logs on: each request written to the Logs table after its response', milliseconds(logging.on.p50), milliseconds(logging.on.p99)],
            ['Logs off (TURNPIKE_STORE_REQUEST_LOGS=false)', milliseconds(logging.off.p50), milliseconds(logging.off.p99)],
            ['Added by the request log', signedMilliseconds(logging.on.p50 - logging.off.p50), signedMilliseconds(logging.on.p99 - logging.off.p99)],
          ],
        );

  const limits = results.usageLimits;
  const limitsTable =
    limits === undefined
      ? ''
      : table(
          ['Budgets and rate limits (Turnpike, concurrency 1)', 'p50', 'p99'],
          [
            ['Key with a USD budget and a requests and tokens per minute limit: two counter items reserved, then settled', milliseconds(limits.on.p50), milliseconds(limits.on.p99)],
            ['Key without limits, same server', milliseconds(limits.off.p50), milliseconds(limits.off.p99)],
            ['Added by budgets and rate limits', signedMilliseconds(limits.on.p50 - limits.off.p50), signedMilliseconds(limits.on.p99 - limits.off.p99)],
          ],
        );

  const cpu = logging?.cpu;
  const microseconds = (value: number): string => `${Math.round(value).toLocaleString('en-US')} µs`;
  const signedMicroseconds = (value: number): string => `${value >= 0 ? '+' : '−'}${microseconds(Math.abs(value))}`;
  const loggingCpuTable =
    cpu === undefined
      ? ''
      : table(
          ['CPU time per request (Turnpike, concurrency 1)', 'Gateway main thread', 'Gateway process', 'Its child processes (dynalite)'],
          [
            ['Logs on', microseconds(cpu.on.mainThreadUs), microseconds(cpu.on.processUs), microseconds(cpu.on.childrenUs)],
            ['Logs off', microseconds(cpu.off.mainThreadUs), microseconds(cpu.off.processUs), microseconds(cpu.off.childrenUs)],
            [
              'Added by the request log',
              signedMicroseconds(cpu.on.mainThreadUs - cpu.off.mainThreadUs),
              signedMicroseconds(cpu.on.processUs - cpu.off.processUs),
              signedMicroseconds(cpu.on.childrenUs - cpu.off.childrenUs),
            ],
          ],
        );

  const checks = table(
    ['Target', 'Goal', 'Measured', 'Met'],
    checkTargets(results).map((check) => [check.target, check.goal, check.measured, check.met === undefined ? '—' : check.met ? 'yes' : '**no**']),
    () => false,
  );

  return [
    `Measured ${results.date.toISOString().slice(0, 10)} with \`npm run bench\` on ${machine.cpus} cores (${machine.cpuModel}), ` +
      `${machine.memoryGiB} GiB, ${machine.os}, Node.js ${machine.node}; Portkey gateway ${results.portkeyVersion} ` +
      `with @hono/node-server ${results.honoNodeServerVersion}. ${settings.requests.toLocaleString('en-US')} non-streaming ` +
      `requests per target and concurrency, ${settings.streamRequests.toLocaleString('en-US')} streamed, in ` +
      `${settings.rounds} interleaved rounds after ${settings.warmUp.toLocaleString('en-US')} warm-up requests per target. ` +
      `Load average ${results.loadAverage.before.toFixed(2)} before the run and ${results.loadAverage.after.toFixed(2)} after` +
      (Math.max(results.loadAverage.before, results.loadAverage.after) > BUSY_LOAD_AVERAGE ? ' (the machine was busy: expect noise).' : '.'),
    '',
    figures,
    '',
    added,
    '',
    ...(cacheTable === '' ? [] : [cacheTable, '']),
    ...(loggingTable === '' ? [] : [loggingTable, '']),
    ...(loggingCpuTable === '' ? [] : [loggingCpuTable, '']),
    ...(limitsTable === '' ? [] : [limitsTable, '']),
    checks,
  ].join('\n');
}

const START_MARKER = '<!-- bench:start -->';
const END_MARKER = '<!-- bench:end -->';

/** Put `section` between the bench markers of `document`, or append a marked section if there are none. */
export function replaceMarkedSection(document: string, section: string): string {
  const marked = `${START_MARKER}\n${section.trim()}\n${END_MARKER}`;
  const start = document.indexOf(START_MARKER);
  const end = document.indexOf(END_MARKER, start);
  if (start === -1 || end === -1) return `${document.trimEnd()}\n\n${marked}\n`;
  return document.slice(0, start) + marked + document.slice(end + END_MARKER.length);
}
