import { BUDGET_KIND, parseBudgetDefinition } from '../budgets/budget-definition.ts';
import { budgetCounterKey, budgetPeriodBounds } from '../budgets/budget-period.ts';
import { budgetUsageFigures } from '../budgets/budget-usage.ts';
import type { JsonObject } from '../core/json.ts';
import type { ControlItem } from '../ports/control-store.ts';
import * as z from '../protocol/zod-mini-english.ts';
import { RATE_LIMIT_KIND, parseRateLimitDefinition } from '../ratelimit/rate-limit-definition.ts';
import { ConflictError, resourceNotFound } from './admin-errors.ts';
import { parseInput } from './admin-input.ts';
import { listItems, listResponse, readPageRequest } from './admin-listing.ts';
import { type AdminContext, type AdminRoute, jsonResponse, noContent } from './admin-route.ts';
import { type AuditResourceKind, answerSave, writeAudit } from './audit-log.ts';

/** A slug, or `workspace:<workspace id>` for a workspace's own limit. */
const LIMIT_ID = /^(workspace:)?[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const budgetSchema = z.strictObject({
  unit: z.enum(['usd', 'tokens']),
  limit: z.number().check(z.minimum(0)),
  period: z.enum(['daily', 'weekly', 'monthly', 'none']),
  soft_threshold: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
});

const rateLimitSchema = z.strictObject({
  requests_per_minute: z.optional(z.int().check(z.minimum(1))),
  tokens_per_minute: z.optional(z.int().check(z.minimum(1))),
});

function limitId(params: Readonly<Record<string, string>>, label: string): string {
  const id = params.id ?? '';
  if (!LIMIT_ID.test(id)) throw resourceNotFound(label, id);
  return id;
}

function presentBudget(item: ControlItem): JsonObject {
  const budget = parseBudgetDefinition(item.id, item.data);
  return {
    id: item.id,
    unit: budget?.unit ?? null,
    limit: budget?.limit ?? null,
    period: budget?.period ?? null,
    soft_threshold: budget?.softThreshold ?? null,
    updated_at: new Date(item.updatedAt).toISOString(),
  };
}

function presentRateLimit(item: ControlItem): JsonObject {
  const limit = parseRateLimitDefinition(item.id, item.data);
  return { id: item.id, requests_per_minute: limit.requestsPerMinute ?? null, tokens_per_minute: limit.tokensPerMinute ?? null, updated_at: new Date(item.updatedAt).toISOString() };
}

/** Create or replace one item (set semantics), retrying once when another admin wrote in between. */
async function putItem(context: AdminContext, kind: string, id: string, data: JsonObject): Promise<{ before: ControlItem | undefined; after: ControlItem }> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const before = await context.control.get(kind, id);
    const after = before === undefined ? await context.control.putIfAbsent({ kind, id, data }) : await context.control.putIfVersion({ kind, id, data }, before.version);
    if (after !== undefined) return { before, after };
  }
  throw new ConflictError(`${kind} ${JSON.stringify(id)} changed while it was being written; try again.`);
}

/** The current period's spend of a budget, from its counter: settled spend and in-flight reservations apart. */
export async function budgetUsage(context: AdminContext, item: ControlItem): Promise<JsonObject> {
  const budget = parseBudgetDefinition(item.id, item.data);
  if (budget === undefined || context.counters === undefined) return { budget_id: item.id, spent: null, reserved: null, remaining: null };
  const { start, end } = budgetPeriodBounds(budget.period, context.clock.now());
  const key = budgetCounterKey(budget.id, start);
  const figures = budgetUsageFigures(budget.limit, (await context.counters.getStates([key])).get(key) ?? { value: 0, holds: [] });
  return {
    budget_id: budget.id,
    unit: budget.unit,
    limit: budget.limit,
    period: budget.period,
    period_start: budget.period === 'none' ? null : new Date(start * 1000).toISOString(),
    period_end: budget.period === 'none' ? null : new Date(end * 1000).toISOString(),
    spent: figures.spent,
    reserved: figures.reserved,
    remaining: figures.remaining,
  };
}

function crudRoutes(path: string, kind: string, label: string, audit: AuditResourceKind, present: (item: ControlItem) => JsonObject, toData: (body: unknown) => JsonObject): AdminRoute[] {
  const notFound = (id: string) => resourceNotFound(label, id);
  return [
    {
      method: 'GET',
      path,
      async handler({ context, query }) {
        const page = await listItems(context.control, kind, readPageRequest(query));
        return listResponse(page.items.map(present), page.cursor);
      },
    },
    {
      method: 'GET',
      path: `${path}/{id}`,
      async handler({ context, params }) {
        const id = limitId(params, label);
        const item = await context.control.get(kind, id);
        if (item === undefined) throw notFound(id);
        return jsonResponse(present(item));
      },
    },
    {
      method: 'PUT',
      path: `${path}/{id}`,
      async handler({ context, params, body }) {
        const id = limitId(params, label);
        const data = toData(await body());
        const { before, after } = await putItem(context, kind, id, data);
        return answerSave(context, { kind: audit, id }, before === undefined ? undefined : present(before), present(after));
      },
    },
    {
      method: 'DELETE',
      path: `${path}/{id}`,
      async handler({ context, params }) {
        const id = limitId(params, label);
        const before = await context.control.get(kind, id);
        if (before === undefined || !(await context.control.delete(kind, id, before.version))) throw notFound(id);
        await writeAudit(context, { action: 'delete', resource: { kind: audit, id }, before: present(before) });
        return noContent();
      },
    },
  ];
}

/** `/v1/budgets` and `/v1/rate-limits`: set (PUT), show, list, delete; a budget's usage and reset. */
export const usageLimitRoutes: AdminRoute[] = [
  ...crudRoutes('/v1/budgets', BUDGET_KIND, 'budget', 'budget', presentBudget, (body) => {
    const input = parseInput(budgetSchema, body);
    const data: JsonObject = { unit: input.unit, limit: input.limit, period: input.period };
    if (input.soft_threshold !== undefined) data.softThreshold = input.soft_threshold;
    return data;
  }),
  ...crudRoutes('/v1/rate-limits', RATE_LIMIT_KIND, 'rate limit', 'rate-limit', presentRateLimit, (body) => {
    const input = parseInput(rateLimitSchema, body);
    const data: JsonObject = {};
    if (input.requests_per_minute !== undefined) data.requestsPerMinute = input.requests_per_minute;
    if (input.tokens_per_minute !== undefined) data.tokensPerMinute = input.tokens_per_minute;
    return data;
  }),
  {
    method: 'GET',
    path: '/v1/budgets/{id}/usage',
    async handler({ context, params }) {
      const id = limitId(params, 'budget');
      const item = await context.control.get(BUDGET_KIND, id);
      if (item === undefined) throw resourceNotFound('budget', id);
      return jsonResponse(await budgetUsage(context, item));
    },
  },
  {
    method: 'POST',
    path: '/v1/budgets/{id}/reset',
    async handler({ context, params }) {
      const id = limitId(params, 'budget');
      const item = await context.control.get(BUDGET_KIND, id);
      const budget = item === undefined ? undefined : parseBudgetDefinition(id, item.data);
      if (item === undefined || budget === undefined) throw resourceNotFound('budget', id);
      if (context.counters !== undefined) {
        const { start, end } = budgetPeriodBounds(budget.period, context.clock.now());
        const key = budgetCounterKey(id, start);
        // Subtracting the settled spend (not overwriting the counter) keeps settlements racing the
        // reset correct, and leaves in-flight reservations held until they settle.
        const state = (await context.counters.getStates([key])).get(key) ?? { value: 0, holds: [] };
        const spent = state.value - state.holds.reduce((total, hold) => total + hold.amount, 0);
        if (spent !== 0) await context.counters.add(key, -spent, { expiresAt: end });
      }
      const usage = await budgetUsage(context, item);
      await writeAudit(context, { action: 'reset', resource: { kind: 'budget', id }, after: usage });
      return jsonResponse(usage);
    },
  },
];
