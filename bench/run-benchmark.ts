import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLambdas } from '../scripts/bundle-lambdas.ts';
import { type BenchmarkResults, type TargetMeasurement, checkTargets, renderBenchmarkReport, replaceMarkedSection } from './benchmark-report.ts';
import { summarizeLatencies } from './latency-statistics.ts';
import { type LoadResult, type LoadTarget, createKeepAliveAgent } from './load-generator.ts';
import { type CacheMeasurement, measureCache } from './measure-cache.ts';
import { type RequestLoggingMeasurement, measureRequestLogging } from './measure-request-logging.ts';
import { readProcessCpu } from './process-cpu.ts';
import { type Scenario, checkTarget, measureScenario, warmUp } from './measure-scenarios.ts';
import { type UsageLimitsMeasurement, benchAdminToken, createBenchKeys, measureUsageLimits } from './measure-usage-limits.ts';
import { startMockUpstreamProcess } from './mock-upstream-process.ts';
import { HONO_NODE_SERVER_VERSION, type PortkeyInstall, installPortkeyGateway, startPortkeyGateway } from './portkey-gateway.ts';
import type { ServerProcess } from './server-process.ts';
import { startTurnpikeGateway } from './turnpike-gateway.ts';
import { startBareProxy } from './bare-proxy-process.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DOC_PATH = join(REPO_ROOT, 'docs', 'BENCHMARKS.md');

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

// About a minute of measuring on an idle 2-core machine; BENCH_REQUESTS scales it.
const REQUESTS = positiveInteger('BENCH_REQUESTS', 3000);
const ROUNDS = positiveInteger('BENCH_ROUNDS', 5);
const STREAM_REQUESTS = Math.max(ROUNDS, Math.round(REQUESTS / 3));
const WARM_UP = Math.max(50, Math.round(REQUESTS / 10));
const WRITE_DOC = process.env.BENCH_WRITE_DOC !== 'false';
const CPU_PROFILE_FOLDER = process.env.BENCH_CPU_PROFILE_DIR || undefined;

const SCENARIOS = {
  sequential: { name: 'non-streaming, concurrency 1', stream: false, concurrency: 1, requests: REQUESTS },
  concurrent: { name: 'non-streaming, concurrency 10', stream: false, concurrency: 10, requests: REQUESTS },
  streamed: { name: 'streaming, concurrency 1', stream: true, concurrency: 1, requests: STREAM_REQUESTS },
} as const satisfies Record<string, Scenario>;

const log = (line: string): void => console.error(`bench: ${line}`);

/** A target the load generator calls, and the gateway process behind it (none for direct). */
interface BenchTarget {
  load: LoadTarget;
  role: TargetMeasurement['role'];
  process?: ServerProcess;
}

async function measureGatewayBundle(): Promise<BenchmarkResults['gatewayBundle']> {
  try {
    const gateway = (await bundleLambdas({ names: ['gateway'] }))[0];
    return gateway ? { bytes: gateway.bytes } : { error: 'no gateway Lambda' };
  } catch (error) {
    return { error: (error as Error).message.replace(/\s+/g, ' ').trim() };
  }
}

function gatewayLoadTarget(name: string, baseUrl: string, upstreamUrl: string): LoadTarget {
  return {
    name,
    url: new URL('/v1/chat/completions', baseUrl),
    headers: {
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': `${upstreamUrl}/v1`,
      authorization: 'Bearer sk-bench',
    },
    agent: createKeepAliveAgent(10),
  };
}

/**
 * Start each gateway and check it answers; one that fails is left out, its reason added to
 * `failures`. Started processes go into `processes` at once so they are stopped whatever happens.
 */
async function startGateways(upstreamUrl: string, portkey: PortkeyInstall, processes: ServerProcess[], failures: string[]): Promise<BenchTarget[]> {
  const gateways = [
    { role: 'turnpike', name: 'Turnpike (local server)', start: () => startTurnpikeGateway(REPO_ROOT, CPU_PROFILE_FOLDER) },
    { role: 'portkey', name: `Portkey gateway ${portkey.version}`, start: () => startPortkeyGateway(portkey) },
    { role: 'floor', name: 'Bare node:http proxy (floor)', start: () => startBareProxy(REPO_ROOT) },
  ] as const;
  const started: BenchTarget[] = [];
  // One at a time: two start-ups at once would slow each other on two cores.
  for (const gateway of gateways) {
    try {
      const server = await gateway.start();
      processes.push(server);
      log(`${server.name} listening on ${server.url} (pid ${server.pid})`);
      const load = gatewayLoadTarget(gateway.name, server.url, upstreamUrl);
      await checkTarget(load);
      started.push({ load, role: gateway.role, process: server });
    } catch (error) {
      failures.push((error as Error).message);
      log(`left out: ${(error as Error).message}`);
    }
  }
  return started;
}

async function summarizeTarget(target: BenchTarget, results: Record<keyof typeof SCENARIOS, Map<string, LoadResult>>): Promise<TargetMeasurement> {
  const pick = (scenario: keyof typeof SCENARIOS): LoadResult => {
    const result = results[scenario].get(target.load.name);
    if (result === undefined) throw new Error(`no ${SCENARIOS[scenario].name} results for ${target.load.name}`);
    return result;
  };
  const concurrent = pick('concurrent');
  return {
    name: target.load.name,
    role: target.role,
    sequential: summarizeLatencies(pick('sequential').latenciesMs),
    concurrent: summarizeLatencies(concurrent.latenciesMs),
    throughput: concurrent.latenciesMs.length / (concurrent.elapsedMs / 1000),
    firstChunk: summarizeLatencies(pick('streamed').firstChunkMs),
    memory: await target.process?.memory(),
  };
}

/** Turnpike's response cache (hits, and what a miss costs); undefined when Turnpike is not running. */
async function measureTurnpikeCache(targets: readonly BenchTarget[], failures: string[]): Promise<CacheMeasurement | undefined> {
  const turnpike = targets.find((target) => target.role === 'turnpike');
  if (turnpike === undefined) return undefined;
  log('measuring the response cache');
  try {
    return await measureCache(turnpike.load, REQUESTS, ROUNDS);
  } catch (error) {
    failures.push(`response cache: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * The stored request log: a second Turnpike server with it on (the measured one has it off),
 * against the first in interleaved rounds; undefined when Turnpike is not running.
 */
async function measureTurnpikeRequestLogging(targets: readonly BenchTarget[], upstreamUrl: string, failures: string[]): Promise<RequestLoggingMeasurement | undefined> {
  const turnpike = targets.find((target) => target.role === 'turnpike');
  if (turnpike === undefined) return undefined;
  log('measuring the stored request log');
  let server: ServerProcess | undefined;
  try {
    server = await startTurnpikeGateway(REPO_ROOT, undefined, { TURNPIKE_STORE_REQUEST_LOGS: 'true' });
    const logsOn = gatewayLoadTarget(`${turnpike.load.name}, request logs stored`, server.url, upstreamUrl);
    try {
      // The logs-off server has served every scenario by now; this one gets as many requests
      // before it is measured, or the difference would include its JIT warming up.
      await warmUp(logsOn, Math.max(WARM_UP, REQUESTS));
      const logsOff = turnpike.process;
      const logsOnServer = server;
      // CPU time from /proc, where there is one.
      const cpu =
        logsOff === undefined || process.platform !== 'linux'
          ? undefined
          : { on: () => readProcessCpu(logsOnServer.pid), off: () => readProcessCpu(logsOff.pid) };
      return await measureRequestLogging(logsOn, turnpike.load, REQUESTS, ROUNDS, cpu);
    } finally {
      logsOn.agent.destroy();
    }
  } catch (error) {
    failures.push(`request logging: ${(error as Error).message}`);
    return undefined;
  } finally {
    await server?.stop();
  }
}

/**
 * Budgets and rate limits: a third Turnpike server (its own, so the keys and counters it
 * creates do not touch the others), called through a gateway key with a USD budget and a
 * rate limit and through one without, in interleaved rounds; undefined when Turnpike is not running.
 */
async function measureTurnpikeUsageLimits(targets: readonly BenchTarget[], upstreamUrl: string, failures: string[]): Promise<UsageLimitsMeasurement | undefined> {
  const turnpike = targets.find((target) => target.role === 'turnpike');
  if (turnpike === undefined) return undefined;
  log('measuring budgets and rate limits');
  let server: ServerProcess | undefined;
  const loads: LoadTarget[] = [];
  try {
    const token = benchAdminToken();
    const started = await startTurnpikeGateway(REPO_ROOT, undefined, { TURNPIKE_ADMIN_TOKEN: token });
    server = started;
    const keys = await createBenchKeys(started, token);
    const withKey = (name: string, secret: string): LoadTarget => {
      const load = gatewayLoadTarget(`${turnpike.load.name}, ${name}`, started.url, upstreamUrl);
      const keyed = { ...load, headers: { ...load.headers, 'x-portkey-api-key': secret } };
      loads.push(keyed);
      return keyed;
    };
    const limited = withKey('budget and rate limit', keys.limited);
    const unlimited = withKey('no limits', keys.unlimited);
    for (const load of loads) {
      await checkTarget(load);
      await warmUp(load, WARM_UP);
    }
    return await measureUsageLimits(limited, unlimited, REQUESTS, ROUNDS);
  } catch (error) {
    failures.push(`budgets and rate limits: ${(error as Error).message}`);
    return undefined;
  } finally {
    for (const load of loads) load.agent.destroy();
    await server?.stop();
  }
}

function machineFacts(): BenchmarkResults['machine'] {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

async function main(): Promise<void> {
  const failures: string[] = [];
  const loadBefore = loadavg()[0] ?? 0;
  log(`${REQUESTS} requests per target and scenario (${STREAM_REQUESTS} streamed), ${ROUNDS} rounds, ${WARM_UP} warm-up`);

  const gatewayBundle = await measureGatewayBundle();
  log(`gateway bundle: ${'bytes' in gatewayBundle ? `${gatewayBundle.bytes} bytes` : gatewayBundle.error}`);
  const portkey = await installPortkeyGateway(log);

  const processes: ServerProcess[] = [];
  try {
    const upstream = await startMockUpstreamProcess(REPO_ROOT);
    processes.push(upstream);
    const direct: BenchTarget = {
      role: 'direct',
      load: { name: 'Direct (no gateway)', url: new URL('/v1/chat/completions', upstream.url), headers: { authorization: 'Bearer sk-bench' }, agent: createKeepAliveAgent(10) },
    };
    const targets = [direct, ...(await startGateways(upstream.url, portkey, processes, failures))];
    const loads = targets.map((target) => target.load);

    for (const load of loads) await warmUp(load, WARM_UP);
    const measure = async (scenario: Scenario): Promise<Map<string, LoadResult>> => {
      log(`measuring ${scenario.name}`);
      return measureScenario(loads, scenario, ROUNDS);
    };
    const results = {
      sequential: await measure(SCENARIOS.sequential),
      concurrent: await measure(SCENARIOS.concurrent),
      streamed: await measure(SCENARIOS.streamed),
    };
    const measurements: TargetMeasurement[] = [];
    for (const target of targets) measurements.push(await summarizeTarget(target, results));
    const cache = await measureTurnpikeCache(targets, failures);
    const requestLogging = await measureTurnpikeRequestLogging(targets, upstream.url, failures);
    const usageLimits = await measureTurnpikeUsageLimits(targets, upstream.url, failures);
    for (const load of loads) load.agent.destroy();

    const benchmark: BenchmarkResults = {
      date: new Date(),
      machine: machineFacts(),
      loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
      settings: { requests: REQUESTS, streamRequests: STREAM_REQUESTS, rounds: ROUNDS, warmUp: WARM_UP },
      portkeyVersion: portkey.version,
      honoNodeServerVersion: HONO_NODE_SERVER_VERSION,
      targets: measurements,
      gatewayBundle,
      cache,
      requestLogging,
      usageLimits,
    };
    const report = renderBenchmarkReport(benchmark);
    console.log(report);

    const complete = failures.length === 0 && 'bytes' in gatewayBundle;
    if (WRITE_DOC && complete) {
      writeFileSync(DOC_PATH, replaceMarkedSection(readFileSync(DOC_PATH, 'utf8'), report));
      log(`wrote the figures into ${DOC_PATH}`);
    } else if (WRITE_DOC) {
      log(`did not update ${DOC_PATH}: the run is incomplete`);
    }
    const missed = checkTargets(benchmark).filter((check) => check.met === false);
    if (missed.length > 0) log(`targets missed: ${missed.map((check) => check.target).join('; ')}`);
    if (!complete) process.exitCode = 1;
  } catch (error) {
    // A server that died mid-run says why in its own output.
    for (const server of processes) log(`${server.name} output:\n${server.output().slice(-4000)}`);
    throw error;
  } finally {
    await Promise.all(processes.map((server) => server.stop()));
  }
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
