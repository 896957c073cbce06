import { randomBytes } from 'node:crypto';
import { compareTwoTargets } from './compare-two-targets.ts';
import type { LatencySummary } from './latency-statistics.ts';
import type { LoadTarget } from './load-generator.ts';
import type { ServerProcess } from './server-process.ts';

/** Turnpike with a calling key that has a USD budget and a rate limit, and one that has none, one request at a time. */
export interface UsageLimitsMeasurement {
  /** Each request reserves on two counter items (the rate window's requests and tokens in one, the budget) before routing and settles after its response. */
  on: LatencySummary;
  /** The same server, a gateway key without limits. */
  off: LatencySummary;
}

/** Limits no benchmark run can reach, so every request is admitted and the cost measured is the bookkeeping alone. */
const UNREACHABLE = { usd: 1_000_000_000, requestsPerMinute: 1_000_000_000, tokensPerMinute: 1_000_000_000_000 };

/** A fresh admin token for one benchmark server (the local admin API takes it from TURNPIKE_ADMIN_TOKEN). */
export function benchAdminToken(): string {
  return `bench-${randomBytes(24).toString('hex')}`;
}

/** The admin API URL the local server printed after its gateway line. */
async function adminUrlOf(server: ServerProcess): Promise<string> {
  for (let waited = 0; waited < 200; waited++) {
    const match = /Turnpike admin API listening on (http:\/\/\S+)/.exec(server.output());
    if (match?.[1] !== undefined) return match[1].replace(/\/$/, '');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${server.name} printed no admin API URL`);
}

async function adminCall(adminUrl: string, token: string, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${adminUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`admin ${method} ${path}: status ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/**
 * Through the server's admin API: a workspace, a USD budget and a rate limit, and two gateway
 * keys in that workspace, one naming both and one naming neither. Returns their secrets.
 */
export async function createBenchKeys(server: ServerProcess, token: string): Promise<{ limited: string; unlimited: string }> {
  const adminUrl = await adminUrlOf(server);
  await adminCall(adminUrl, token, 'POST', '/v1/workspaces', { id: 'bench', name: 'Benchmark' });
  await adminCall(adminUrl, token, 'PUT', '/v1/budgets/bench-budget', { unit: 'usd', limit: UNREACHABLE.usd, period: 'monthly' });
  await adminCall(adminUrl, token, 'PUT', '/v1/rate-limits/bench-rate', { requests_per_minute: UNREACHABLE.requestsPerMinute, tokens_per_minute: UNREACHABLE.tokensPerMinute });
  const secretOf = async (body: Record<string, unknown>): Promise<string> => {
    const { secret } = await adminCall(adminUrl, token, 'POST', '/v1/keys', { workspace_id: 'bench', ...body });
    if (typeof secret !== 'string') throw new Error('admin POST /v1/keys answered without a secret');
    return secret;
  };
  return {
    limited: await secretOf({ name: 'limited', budget_id: 'bench-budget', rate_limit_id: 'bench-rate' }),
    unlimited: await secretOf({ name: 'unlimited' }),
  };
}

/**
 * Measure what budgets and rate limits add to a request: the same non-streaming requests on
 * one server through two gateway keys, with limits and without, in interleaved rounds. The
 * reservations are one parallel batch of conditional adds before routing; the settlement runs
 * after the response (in the same process locally), so it shows as what it costs the next one.
 */
export async function measureUsageLimits(limited: LoadTarget, unlimited: LoadTarget, requests: number, rounds: number): Promise<UsageLimitsMeasurement> {
  const { first, second } = await compareTwoTargets(limited, unlimited, requests, rounds);
  return { on: first, off: second };
}
