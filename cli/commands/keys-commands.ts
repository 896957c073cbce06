import { resourcePath } from '../admin-client.ts';
import { UsageError } from '../cli-error.ts';
import type { CommandContext, CommandSpec } from '../command-spec.ts';
import { asRecord, type Column } from '../output.ts';
import { requiredString, stringOption } from '../option-values.ts';
import { LIST_OPTIONS } from '../option-table.ts';
import { pagingFromOptions } from './paging.ts';
import { ACCESS_OPTIONS, keyFieldsFromOptions, withMergedScopes } from './request-fields.ts';

const KEYS = '/v1/keys';

const KEY_COLUMNS: readonly Column[] = [
  { header: 'ID', field: 'id' },
  { header: 'NAME', field: 'name' },
  { header: 'WORKSPACE', field: 'workspace_id' },
  { header: 'PREFIX', field: 'display_prefix' },
  { header: 'STATUS', field: 'status' },
  { header: 'EXPIRES', field: 'expires_at', date: true },
  { header: 'CREATED', field: 'created_at', date: true },
];

/** Create and rotate answer with the new secret: the one time anybody sees it. */
function printKeyWithSecret({ output }: CommandContext, answer: unknown): void {
  const { secret, ...key } = asRecord(answer);
  if (output.json) {
    output.record(answer);
    output.warning('the secret in this answer is shown once; Turnpike keeps only its hash');
    return;
  }
  output.record(key);
  output.message('');
  output.message(`secret  ${typeof secret === 'string' ? secret : '-'}`);
  output.message('Copy this secret now: Turnpike keeps only its hash and will not show it again.');
}

export const KEY_COMMANDS: readonly CommandSpec[] = [
  {
    resource: 'keys',
    action: 'create',
    summary: 'Create a gateway key (prints its secret once)',
    arguments: [],
    options: ['workspace', ...ACCESS_OPTIONS, 'expires-at'],
    required: ['workspace', 'name'],
    notes: ['Example: turnpike keys create --workspace team-a --name ci --scope-providers openai,anthropic'],
    async run(context) {
      const { values, client } = context;
      const body = { workspace_id: requiredString(values, 'workspace'), ...keyFieldsFromOptions(values, 'create') };
      printKeyWithSecret(context, await client.send({ method: 'POST', path: KEYS, body }));
    },
  },
  {
    resource: 'keys',
    action: 'list',
    summary: 'List gateway keys (never their secrets)',
    arguments: [],
    options: ['workspace', ...LIST_OPTIONS],
    async run({ values, client, output }) {
      const page = await client.list(KEYS, { workspace_id: stringOption(values, 'workspace') }, pagingFromOptions(values));
      output.page(page, KEY_COLUMNS, 'keys');
    },
  },
  {
    resource: 'keys',
    action: 'get',
    summary: 'Show one gateway key',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'GET', path: resourcePath(KEYS, id) }));
    },
  },
  {
    resource: 'keys',
    action: 'update',
    summary: 'Change a gateway key\'s name, scopes, expiry, metadata or limits',
    arguments: ['ID'],
    options: [...ACCESS_OPTIONS, 'expires-at'],
    notes: [
      'Scope lists not named keep their current value; --metadata replaces all metadata; --expires-at never removes the expiry; --budget-id none and --rate-limit-id none remove them.',
    ],
    async run({ args: [id = ''], values, client, output }) {
      const fields = keyFieldsFromOptions(values, 'update');
      if (Object.keys(fields).length === 0) throw new UsageError('keys update: give at least one field to change');
      const path = resourcePath(KEYS, id);
      output.record(await client.send({ method: 'PATCH', path, body: await withMergedScopes(client, path, fields) }));
    },
  },
  {
    resource: 'keys',
    action: 'rotate',
    summary: 'Replace a key\'s secret (the old one stops working; the new one is printed once)',
    arguments: ['ID'],
    options: [],
    async run(context) {
      const [id = ''] = context.args;
      printKeyWithSecret(context, await context.client.send({ method: 'POST', path: resourcePath(KEYS, id, 'rotate') }));
    },
  },
  {
    resource: 'keys',
    action: 'revoke',
    summary: 'Revoke a gateway key for good',
    arguments: ['ID'],
    options: [],
    async run({ args: [id = ''], client, output }) {
      output.record(await client.send({ method: 'POST', path: resourcePath(KEYS, id, 'revoke') }));
    },
  },
];
