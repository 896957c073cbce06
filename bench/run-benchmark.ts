import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleLambdas } from '../scripts/bundle-lambdas.ts';
import { type BenchmarkResults, type TargetMeasurement, checkTargets, renderBenchmarkReport, replaceMarkedSection } from './benchmark-report.ts';
import { summarizeLatencies } from './latency-statistics.ts';
import { type LoadResult, type LoadTarget, createKeepAliveAgent } from './load-generator.ts';
import { type Scenario, checkTarget, measureScenario, warmUp } from './measure-scenarios.ts';
import { startMockUpstreamProcess } from './mock-upstream-process.ts';
import { HONO_NODE_SERVER_VERSION, installPortkeyGateway, startPortkeyGateway } from './portkey-gateway.ts';
import type { ServerProcess } from './server-process.ts';
import { startTurnpikeGateway } from './turnpike-gateway.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DOC_PATH = join(REPO_ROOT, 'docs', 'BENCHMARKS.md');

function positiveInteger(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

// About a minute of measuring on a 2-core machine; BENCH_REQUESTS scales it.
const REQUESTS = positiveInteger('BENCH_REQUESTS', 3000);
const ROUNDS = positiveInteger('BENCH_ROUNDS', 5);
const STREAM_REQUESTS = Math.max(ROUNDS, Math.round(REQUESTS / 3));
const WARM_UP = Math.max(50, Math.round(REQUESTS / 10));
const WRITE_DOC = process.env.BENCH_WRITE_DOC !== 'false';
const CPU_PROFILE_FOLDER = process.env.BENCH_CPU_PROFILE_DIR || undefined;

const log = (line: string): void => console.error(`bench: ${line}`);

interface Gateway {
  role: 'turnpike' | 'portkey';
  process: ServerProcess;
}

/** Start a gateway, or log why it could not start and carry on without it. */
async function tryStart(role: Gateway['role'], start: () => Promise<ServerProcess>, failures: string[]): Promise<Gateway | undefined> {
  try {
    const started = await start();
    log(`${started.name} listening on ${started.url} (pid ${started.pid})`);
    return { role, process: started };
  } catch (error) {
    const message = (error as Error).message;
    failures.push(message);
    log(message);
    return undefined;
  }
}

function gatewayTarget(name: string, baseUrl: string, upstreamUrl: string): LoadTarget {
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

async function main(): Promise<void> {
  const failures: string[] = [];
  log(`${REQUESTS} requests per target and scenario (${STREAM_REQUESTS} streamed), ${ROUNDS} rounds, ${WARM_UP} warm-up`);

  let gatewayBundle: BenchmarkResults['gatewayBundle'];
  try {
    const gateway = (await bundleLambdas({ names: ['gateway'] }))[0];
    gatewayBundle = gateway ? { bytes: gateway.bytes } : { error: 'no gateway Lambda' };
  } catch (error) {
    gatewayBundle = { error: (error as Error).message.replace(/\s+/g, ' ').trim() };
  }
  log(`gateway bundle: ${'bytes' in gatewayBundle ? `${gatewayBundle.bytes} bytes` : gatewayBundle.error}`);

  const portkeyInstall = await installPortkeyGateway(log);
  const processes: ServerProcess[] = [];
  try {
    const upstream = await startMockUpstreamProcess(REPO_ROOT);
    processes.push(upstream);
    // One at a time: two tsx compilations at once would slow both starts on two cores.
    const gateways: Gateway[] = [];
    for (const [role, start] of [
      ['turnpike', () => startTurnpikeGateway(REPO_ROOT, CPU_PROFILE_FOLDER)],
      ['portkey', () => startPortkeyGateway(portkeyInstall)],
    ] as const) {
      const gateway = await tryStart(role, start, failures);
      if (gateway) {
        gateways.push(gateway);
        processes.push(gateway.process);
      }
    }

    const direct: LoadTarget = {
      name: 'Direct (no gateway)',
      url: new URL('/v1/chat/completions', upstream.url),
      headers: { authorization: 'Bearer sk-bench' },
      agent: createKeepAliveAgent(10),
    };
    const roles = new Map<string, TargetMeasurement['role']>([[direct.name, 'direct']]);
    const memoryOf = new Map<string, ServerProcess>();
    const targets: LoadTarget[] = [direct];
    for (const gateway of gateways) {
      const name = gateway.role === 'turnpike' ? 'Turnpike (local server)' : `Portkey gateway ${portkeyInstall.version}`;
      const target = gatewayTarget(name, gateway.process.url, upstream.url);
      try {
        await checkTarget(target);
      } catch (error) {
        failures.push((error as Error).message);
        log(`left out: ${(error as Error).message}`);
        continue;
      }
      targets.push(target);
      roles.set(name, gateway.role);
      memoryOf.set(name, gateway.process);
    }

    for (const target of targets) await warmUp(target, WARM_UP);
    const scenarios: Scenario[] = [
      { name: 'non-streaming, concurrency 1', stream: false, concurrency: 1, requests: REQUESTS },
      { name: 'non-streaming, concurrency 10', stream: false, concurrency: 10, requests: REQUESTS },
      { name: 'streaming, concurrency 1', stream: true, concurrency: 1, requests: STREAM_REQUESTS },
    ];
    const measured: Map<string, LoadResult>[] = [];
    for (const scenario of scenarios) {
      log(`measuring ${scenario.name}`);
      measured.push(await measureScenario(targets, scenario, ROUNDS));
    }
    const [sequential, concurrent, streamed] = measured;

    const measurements: TargetMeasurement[] = [];
    for (const target of targets) {
      const pick = (results: Map<string, LoadResult> | undefined): LoadResult => {
        const result = results?.get(target.name);
        if (result === undefined) throw new Error(`no results for ${target.name}`);
        return result;
      };
      const concurrentResult = pick(concurrent);
      measurements.push({
        name: target.name,
        role: roles.get(target.name) ?? 'direct',
        sequential: summarizeLatencies(pick(sequential).latenciesMs),
        concurrent: summarizeLatencies(concurrentResult.latenciesMs),
        throughput: concurrentResult.latenciesMs.length / (concurrentResult.elapsedMs / 1000),
        firstChunk: summarizeLatencies(pick(streamed).firstChunkMs),
        memory: await memoryOf.get(target.name)?.memory(),
      });
      target.agent.destroy();
    }

    const results: BenchmarkResults = {
      date: new Date(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
        memoryGiB: Math.round(totalmem() / 1024 ** 3),
        node: process.version,
        os: `${platform()} ${release()}`,
      },
      settings: { requests: REQUESTS, streamRequests: STREAM_REQUESTS, rounds: ROUNDS, warmUp: WARM_UP },
      portkeyVersion: portkeyInstall.version,
      honoNodeServerVersion: HONO_NODE_SERVER_VERSION,
      targets: measurements,
      gatewayBundle,
    };
    const report = renderBenchmarkReport(results);
    console.log(report);

    const complete = failures.length === 0 && 'bytes' in gatewayBundle;
    if (WRITE_DOC && complete) {
      writeFileSync(DOC_PATH, replaceMarkedSection(readFileSync(DOC_PATH, 'utf8'), report));
      log(`wrote the figures into ${DOC_PATH}`);
    } else if (WRITE_DOC) {
      log(`did not update ${DOC_PATH}: the run is incomplete`);
    }
    const missed = checkTargets(results).filter((check) => check.met === false);
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
