import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/src/adapters/node/system-clock.ts';
import { budgetCounterKey } from '../../shared/src/budgets/budget-period.ts';
import { holdSlotStart } from '../../shared/src/budgets/reservation-hold.ts';
import { type AccessRepository, createAccessRepository } from '../../shared/src/keys/access-repository.ts';
import type { Clock } from '../../shared/src/ports/clock.ts';
import type { CounterState, CounterStore, HoldSettlement, HoldSettlementResult } from '../../shared/src/ports/counter-store.ts';
import { type LocalStores, openLocalStores } from '../../shared/src/runtime/local-stores.ts';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts';

/**
 * Reservations of crashed requests on the real local server (dynalite) through the openai SDK.
 * A crash between reservation and settlement is a settlement that never reaches the store;
 * time passing the lease is a clock that the test moves forward (the store reads it too).
 */

const WORKSPACE = 'ws-lease';
const LEASE_SECONDS = 1200;

/** Wall time plus an offset the test moves forward. */
const clock: Clock & { offsetMs: number } = {
  offsetMs: 0,
  now: () => Date.now() + clock.offsetMs,
  sleep: (ms, signal) => systemClock.sleep(ms, signal),
  setTimer: (ms, callback) => systemClock.setTimer(ms, callback),
};

/** Past the lease of the slot the clock is in now. */
function passTheLease(): void {
  const slot = holdSlotStart(clock.now());
  clock.offsetMs += (slot + 300 + LEASE_SECONDS) * 1000 - clock.now() + 1_000;
}

type HeldSettlement = { key: string; settlement: HoldSettlement; run: () => Promise<HoldSettlementResult> };

/** What happens to the next budget settlement: it lands, the process "crashes" first, or it is held back until the test lets it go. */
let settlementFate: 'land' | 'crash' | 'late' = 'land';
const lateSettlements: HeldSettlement[] = [];

let local: LocalStores;
let gateway: TestGateway;
let access: AccessRepository;
let pricesDir: string;

beforeAll(async () => {
  pricesDir = mkdtempSync(join(tmpdir(), 'turnpike-prices-'));
  const pricesFile = join(pricesDir, 'prices.json');
  // 100 USD per million tokens: each mock token costs $0.0001.
  writeFileSync(pricesFile, JSON.stringify({ date: '2026-01-01', providers: { mock: { 'mock-model': { input: 100, output: 100 } } } }));
  local = await openLocalStores({ TURNPIKE_DATA_DIR: ':memory:' }, clock);
  const real = local.stores.counters;
  const counters: CounterStore = {
    ...real,
    settleHold(key, settlement) {
      const fate = settlementFate;
      settlementFate = 'land';
      if (fate === 'crash') return Promise.resolve({ value: 0, held: true });
      if (fate === 'land') return real.settleHold(key, settlement);
      return new Promise((resolve, reject) => {
        const run = async (): Promise<HoldSettlementResult> => {
          try {
            const result = await real.settleHold(key, settlement);
            resolve(result);
            return result;
          } catch (error) {
            reject(error);
            throw error;
          }
        };
        lateSettlements.push({ key, settlement, run });
      });
    },
  };
  gateway = await startTestGateway(
    { TURNPIKE_REQUIRE_GATEWAY_KEY: 'true', TURNPIKE_PRICES_FILE: pricesFile, TURNPIKE_RESERVATION_LEASE_SECONDS: String(LEASE_SECONDS) },
    { stores: { ...local.stores, counters }, keyVault: local.keyVault, clock },
  );
  access = createAccessRepository(local.stores.control, local.keyVault, clock, { counters: local.stores.counters });
});

afterAll(async () => {
  await gateway?.close();
  await local?.close();
  rmSync(pricesDir, { recursive: true, force: true });
});

const body = { model: 'mock-model', max_tokens: 20, messages: [{ role: 'user' as const, content: 'Hello there, how are you today?' }] };

async function budgetedClient(budgetId: string, limit: number): Promise<{ openai: OpenAI; apiKey: string }> {
  await local.stores.control.putIfAbsent({ kind: 'budget', id: budgetId, data: { unit: 'usd', limit, period: 'none' } });
  const { secret } = await access.createApiKey({ workspaceId: WORKSPACE, name: budgetId, budgetId });
  return { openai: new OpenAI({ apiKey: secret, baseURL: gateway.baseURL, maxRetries: 0 }), apiKey: secret };
}

async function call(openai: OpenAI): Promise<number | undefined> {
  try {
    await openai.chat.completions.create(body);
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error.status;
    throw error;
  }
}

async function counter(budgetId: string): Promise<CounterState> {
  const key = budgetCounterKey(budgetId, 0);
  return (await local.stores.counters.getStates([key])).get(key) ?? { value: 0, holds: [] };
}

async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 400; tries++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The cost of the request record that `count` records ago was the newest, once written. */
async function costOfRecord(index: number): Promise<number> {
  const records = await gateway.waitForRecords(index + 1);
  return records[index]?.cost ?? 0;
}

describe('reservations of crashed requests', () => {
  it('keep refusing until the lease has passed, then are given back and the counter holds only the settled spend', async () => {
    // One reservation (about $0.0031) fits; two do not.
    const { openai, apiKey } = await budgetedClient('crash', 0.005);
    settlementFate = 'crash';
    expect(await call(openai)).toBe(200);
    await eventually(() => settlementFate === 'land', 'the dropped settlement');
    const crashed = await counter('crash');
    expect(crashed.holds).toHaveLength(1);
    expect(crashed.value).toBe(crashed.holds[0]?.amount);

    // The gateway's own report tells the reservation from the spend.
    const usage = (await (await fetch(`${gateway.baseURL}/usage`, { headers: { authorization: `Bearer ${apiKey}` } })).json()) as { budgets: { spent: number; reserved: number; remaining: number }[] };
    expect(usage.budgets[0]).toMatchObject({ spent: 0, reserved: crashed.value });

    expect(await call(openai)).toBe(429);
    clock.offsetMs += 600_000;
    expect(await call(openai)).toBe(429);

    passTheLease();
    const index = gateway.records.length;
    expect(await call(openai)).toBe(200);
    const cost = await costOfRecord(index);
    expect(cost).toBeGreaterThan(0);
    await eventually(async () => (await counter('crash')).holds.every((hold) => hold.amount === 0), 'the settlement');
    const after = await counter('crash');
    expect(after.value).toBeCloseTo(cost, 12);
    // Only the admitted request's slot is left; the crashed one's is gone.
    expect(after.holds.map((hold) => hold.slot)).toEqual([holdSlotStart(clock.now())]);
  });

  it('count a late settlement after its slot was swept once, not twice', async () => {
    const { openai } = await budgetedClient('late', 1);
    const first = gateway.records.length;
    settlementFate = 'late';
    expect(await call(openai)).toBe(200);
    await eventually(() => lateSettlements.length === 1, 'the held-back settlement');
    const firstCost = await costOfRecord(first);

    passTheLease();
    const second = gateway.records.length;
    expect(await call(openai)).toBe(200);
    const secondCost = await costOfRecord(second);
    // The accepted reservation saw the stale slot and released it in the background.
    await eventually(async () => (await counter('late')).holds.length === 1, 'the background release');
    await eventually(async () => (await counter('late')).holds.every((hold) => hold.amount === 0), 'the second settlement');
    expect((await counter('late')).value).toBeCloseTo(secondCost, 12);

    // The first request was slow, not dead: its settlement arrives now.
    const late = lateSettlements.shift();
    expect(await late?.run()).toMatchObject({ held: false });
    expect((await counter('late')).value).toBeCloseTo(firstCost + secondCost, 12);
  });
});
