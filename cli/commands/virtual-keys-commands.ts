import { resourcePath } from '../admin-client.ts';
import { UsageError } from '../cli-error.ts';
import type { CommandSpec } from '../command-spec.ts';
import type { Column } from '../output.ts';
import { keyValueOption, listOption, requiredString, stringOption } from '../option-values.ts';
import { readSecret } from '../read-secret.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { pagingFromOptions } from './paging.ts';
import { definedFields, referenceOption } from './request-fields.ts';

const VIRTUAL_KEYS = '/v1/virtual-keys';

const VIRTUAL_KEY_COLUMNS: readonly Column[] = [
  { header: 'ID', field: 'id' },
  { header: 'NAME', field: 'name' },
  { header: 'WORKSPACE', field: 'workspace_id' },
  { header: 'PROVIDER', field: 'provider' },
  { header: 'STATUS', field: 'status' },
  { header: 'MODELS', field: 'allowed_models' },
  { header: 'ROTATED', field: 'rotated_at', date: true },
  { header: 'CREATED', field: 'created_at', date: true },
];

const SECRET_NOTE =
  'The secret is read from stdin or a variable, never from an argument (shell history). For Bedrock it is a JSON object as text: {"aws_access_key_id","aws_secret_access_key",...}.';

const BUDGET_NOTE =
  '--budget-id names a budget (turnpike budgets set) that every request through this virtual key reserves on, besides the caller\'s own; over it, that target answers 429 budget_exceeded.';

/** A status change or removal of one virtual key: `POST …/{id}/{action}`. */
function statusCommand(action: 'disable' | 'enable', summary: string): CommandSpec {
  return {
    resource: 'virtual-keys',
    action,
    summary,
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'POST', path: resourcePath(VIRTUAL_KEYS, id, action) }));
    },
  };
}

export const VIRTUAL_KEY_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'virtual-keys',
    action: 'add',
    summary: 'Store a provider secret under a slug callers can use',
    arguments: [],
    options: ['id', 'workspace', 'name', 'provider', 'secret-stdin', 'secret-env', 'allowed-models', 'option', 'budget-id'],
    required: ['id', 'workspace', 'name', 'provider'],
    notes: [
      SECRET_NOTE,
      BUDGET_NOTE,
      'Example: turnpike virtual-keys add --id openai-prod --workspace team-a --name "OpenAI prod" --provider openai --secret-env OPENAI_API_KEY',
    ],
    async run({ values, client, output, io }) {
      const body = definedFields({
        id: requiredString(values, 'id'),
        workspace_id: requiredString(values, 'workspace'),
        name: requiredString(values, 'name'),
        provider: requiredString(values, 'provider'),
        secret: await readSecret(values, io),
        allowed_models: listOption(values, 'allowed-models'),
        options: keyValueOption(values, 'option'),
        budget_id: stringOption(values, 'budget-id'),
      });
      output.record(await client.send({ method: 'POST', path: VIRTUAL_KEYS, body }));
    },
  },
  {
    resource: 'virtual-keys',
    action: 'list',
    summary: 'List virtual keys (never their secrets)',
    arguments: [],
    options: ['workspace', ...LIST_OPTIONS],
    async run({ values, client, output }) {
      const query = { workspace_id: stringOption(values, 'workspace') };
      output.page(await client.list(VIRTUAL_KEYS, query, pagingFromOptions(values)), VIRTUAL_KEY_COLUMNS, 'virtual keys');
    },
  },
  {
    resource: 'virtual-keys',
    action: 'get',
    summary: 'Show one virtual key',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'GET', path: resourcePath(VIRTUAL_KEYS, id) }));
    },
  },
  {
    resource: 'virtual-keys',
    action: 'update',
    summary: 'Change a virtual key\'s name, allowed models, provider options or budget (not its secret)',
    arguments: ['ID'],
    options: ['name', 'allowed-models', 'option', 'budget-id'],
    notes: ['--allowed-models and --option replace the whole list or map. Use "rotate" to change the secret. --budget-id none removes the budget.', BUDGET_NOTE],
    async run({ args: [id = ''], values, client, output }) {
      const body = definedFields({
        name: stringOption(values, 'name'),
        allowed_models: listOption(values, 'allowed-models'),
        options: keyValueOption(values, 'option'),
        budget_id: referenceOption(values, 'budget-id', 'update'),
      });
      if (Object.keys(body).length === 0) throw new UsageError('virtual-keys update: give at least one field to change');
      output.record(await client.send({ method: 'PATCH', path: resourcePath(VIRTUAL_KEYS, id), body }));
    },
  },
  {
    resource: 'virtual-keys',
    action: 'rotate',
    summary: 'Replace the provider secret of a virtual key',
    arguments: ['ID'],
    options: ['secret-stdin', 'secret-env'],
    notes: [SECRET_NOTE],
    async run({ args: [id = ''], values, client, output, io }) {
      const body = { secret: await readSecret(values, io) };
      output.record(await client.send({ method: 'POST', path: resourcePath(VIRTUAL_KEYS, id, 'rotate'), body }));
    },
  },
  statusCommand('disable', 'Stop a virtual key from being used (reversible)'),
  statusCommand('enable', 'Let a disabled virtual key be used again'),
  {
    resource: 'virtual-keys',
    action: 'delete',
    summary: 'Delete a virtual key and its stored secret',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      await client.send({ method: 'DELETE', path: resourcePath(VIRTUAL_KEYS, id) });
      output.message(`Deleted virtual key ${id} and its secret.`);
    },
  },
];
