import { resourcePath } from '../admin-client.ts';
import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command-spec.ts';
import type { Column } from '../output.ts';
import { integerOption, requiredString, stringOption, type OptionValues } from '../option-values.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { pagingFromOptions } from './paging.ts';
import { definedFields } from './request-fields.ts';

const BUDGETS = '/v1/budgets';
const RATE_LIMITS = '/v1/rate-limits';

const BUDGET_COLUMNS: readonly Column[] = [
  { header: 'ID', field: 'id' },
  { header: 'UNIT', field: 'unit' },
  { header: 'LIMIT', field: 'limit' },
  { header: 'PERIOD', field: 'period' },
  { header: 'SOFT', field: 'soft_threshold' },
];

const RATE_LIMIT_COLUMNS: readonly Column[] = [
  { header: 'ID', field: 'id' },
  { header: 'RPM', field: 'requests_per_minute' },
  { header: 'TPM', field: 'tokens_per_minute' },
];

function numberOption(values: OptionValues, name: 'cap' | 'soft-threshold'): number | undefined {
  const raw = stringOption(values, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) throw new UsageError(`--${name} must be a non-negative number, got "${raw}"`);
  return value;
}

const WORKSPACE_NOTE = 'A workspace\'s own budget or rate limit has the id workspace:<workspace id>; keys use theirs through --budget-id / --rate-limit-id.';

export const USAGE_LIMIT_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'budgets',
    action: 'set',
    summary: 'Create or replace a budget (a hard cap in USD or tokens per period)',
    arguments: ['ID'],
    options: ['unit', 'cap', 'period', 'soft-threshold'],
    required: ['unit', 'cap', 'period'],
    notes: [WORKSPACE_NOTE, 'Example: turnpike budgets set team-a --unit usd --cap 50 --period monthly --soft-threshold 0.8'],
    async run({ args: [id = ''], values, client, output }) {
      const body = definedFields({
        unit: requiredString(values, 'unit'),
        limit: numberOption(values, 'cap'),
        period: requiredString(values, 'period'),
        soft_threshold: numberOption(values, 'soft-threshold'),
      });
      output.record(await client.send({ method: 'PUT', path: resourcePath(BUDGETS, id), body }));
    },
  },
  {
    resource: 'budgets',
    action: 'show',
    summary: "Show a budget's current spend and what remains",
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'GET', path: `${resourcePath(BUDGETS, id)}/usage` }));
    },
  },
  {
    resource: 'budgets',
    action: 'list',
    summary: 'List budgets',
    arguments: [],
    options: [...LIST_OPTIONS],
    async run({ values, client, output }) {
      output.page(await client.list(BUDGETS, {}, pagingFromOptions(values)), BUDGET_COLUMNS, 'budgets');
    },
  },
  {
    resource: 'budgets',
    action: 'reset',
    summary: 'Set the current period\'s spend of a budget back to 0',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'POST', path: `${resourcePath(BUDGETS, id)}/reset` }));
    },
  },
  {
    resource: 'budgets',
    action: 'delete',
    summary: 'Delete a budget (keys that name it are no longer capped)',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      await client.send({ method: 'DELETE', path: resourcePath(BUDGETS, id) });
      output.message(`Deleted budget ${id}.`);
    },
  },
  {
    resource: 'rate-limits',
    action: 'set',
    summary: 'Create or replace a rate limit (requests and/or tokens per minute)',
    arguments: ['ID'],
    options: ['rpm', 'tpm'],
    notes: [WORKSPACE_NOTE],
    async run({ args: [id = ''], values, client, output }) {
      const body = definedFields({ requests_per_minute: integerOption(values, 'rpm', 1, 1e9), tokens_per_minute: integerOption(values, 'tpm', 1, 1e12) });
      if (Object.keys(body).length === 0) throw new UsageError('rate-limits set: give --rpm and/or --tpm');
      output.record(await client.send({ method: 'PUT', path: resourcePath(RATE_LIMITS, id), body }));
    },
  },
  {
    resource: 'rate-limits',
    action: 'show',
    summary: 'Show a rate limit',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'GET', path: resourcePath(RATE_LIMITS, id) }));
    },
  },
  {
    resource: 'rate-limits',
    action: 'list',
    summary: 'List rate limits',
    arguments: [],
    options: [...LIST_OPTIONS],
    async run({ values, client, output }) {
      output.page(await client.list(RATE_LIMITS, {}, pagingFromOptions(values)), RATE_LIMIT_COLUMNS, 'rate limits');
    },
  },
];
